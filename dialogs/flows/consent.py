"""Consent actions shared by the welcome and privacy flows."""

from __future__ import annotations

from dialogs.definitions import Goto, LinkTo, Say, Turn
from locales import N_
from storage.participants import set_consent

PRIVACY_LINK = LinkTo(label=N_("Privacy statement"), url=lambda config: config.privacy_url)

ASK = Say(
    N_(
        "May I save what you tell me? I use it only in this project. You can delete it at any time."
    ),
    link=PRIVACY_LINK,
)
THANKS = Say(N_("Thank you! You can change this at any time in the menu under Privacy."))
DECLINED = Say(
    N_("All right. I will not save anything personal about you. You can still get information.")
)


def give(turn: Turn) -> Goto | None:
    """Record consent to the current privacy policy version."""
    set_consent(
        connection=turn.connection,
        participant_id=turn.participant.id,
        version=turn.config.policy_version,
        at=turn.now,
    )
    return None


def withdraw(turn: Turn) -> Goto | None:
    """Withdraw consent; from now on nothing personal is saved."""
    set_consent(
        connection=turn.connection, participant_id=turn.participant.id, version=None, at=None
    )
    return None
