"""Before an idea is started: consent first, and at most a few ideas a day per person."""

from __future__ import annotations

from datetime import datetime, time

from dialogs.commands import MENU
from dialogs.definitions import Goto, Say, Turn
from dialogs.flows.gate import needs_consent
from locales import N_
from storage import ideas


def _start_of_day(turn: Turn) -> datetime:
    local = turn.now.astimezone(turn.translator.timezone)
    return datetime.combine(local.date(), time(0), local.tzinfo)


def daily_limit(turn: Turn, goto: Goto) -> Goto | None:
    count = ideas.ideas_since(
        connection=turn.connection, participant_id=turn.participant.id, since=_start_of_day(turn)
    )
    if count < turn.config.ideas_per_day:
        return None
    return Goto(
        MENU,
        say=(
            Say(
                N_("You have shared {count} ideas today. Thank you! You can share more tomorrow."),
                {"count": count},
            ),
        ),
    )


def consent_and_daily_limit(turn: Turn, goto: Goto) -> Goto | None:
    return needs_consent(turn, goto) or daily_limit(turn, goto)
