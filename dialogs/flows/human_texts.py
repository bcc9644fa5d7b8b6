"""What the resident reads about a conversation with a person of the team, wherever it is
said: in the flow, and in the messages staff actions and jobs queue."""

from __future__ import annotations

from datetime import timedelta

from dialogs.definitions import Say
from locales import N_

WILL_ANSWER = Say(N_("A person from the team will answer you here."))
WRITE = Say(N_("Write your message here. To go back to the bot, type “menu”."))
SENT = Say(N_("Sent to the team. A person will answer you here."))
AWAY_UNTIL_TODAY = N_("The team is not here right now. Someone is back today at {time}.")
AWAY_UNTIL_TOMORROW = N_("The team is not here right now. Someone is back tomorrow at {time}.")
AWAY_UNTIL_DAY = N_("The team is not here right now. Someone is back on {day} at {time}.")
AWAY_NO_TIME = Say(N_("The team is not here right now."))
LEAVE_OR_CONTACT = Say(N_("You can leave a message, and the team will answer when they are back."))
SENT_WHILE_AWAY = Say(N_("Sent. The team will answer you here when they are back."))
ASK_LEAVE = Say(N_("Do you want to end the conversation with the team and go back to the bot?"))
ENDED_BY_YOU = Say(
    N_("The conversation with the team has ended. You are talking with the bot again.")
)
ENDED_BY_TEAM = N_("The team ended the conversation. You are talking with the bot again.")
ENDED_IDLE = N_(
    "The conversation with the team has ended, because nobody wrote in {days} days. "
    "You are talking with the bot again."
)
BACK_WITH_BOT = Say(N_("You are talking with the bot again."))
ONLY_TEXT_AND_PHOTOS = Say(
    N_("The team can see your text and photos, but not stickers or voice messages.")
)
STAFF_NOTICE = N_("A resident is waiting for an answer in the staff area.")
TEAM = N_("Yhdessä osallistuen team")


def usual_wait(wait: timedelta) -> Say:
    """ "It usually takes about 20 minutes", rounded as a person would say it."""
    minutes = wait.total_seconds() / 60
    if minutes < 90:
        return Say(
            N_("It usually takes about {minutes} minutes."),
            {"minutes": max(5, 5 * round(minutes / 5))},
        )
    return Say(N_("It usually takes about {hours} hours."), {"hours": max(2, round(minutes / 60))})
