"""Guards: flows that store something personal ask for consent first, then carry on."""

from __future__ import annotations

from dialogs.commands import CONSENT_GATE
from dialogs.definitions import Goto, Turn

AFTER_CONSENT = "after_consent"


def needs_consent(turn: Turn, goto: Goto) -> Goto | None:
    """Send the person to the consent question first; it leads back to ``goto.step``."""
    if goto.consented or (turn.participant.has_consented and goto.consented is not False):
        return None
    return Goto(CONSENT_GATE, data={**turn.data, AFTER_CONSENT: goto.step})
