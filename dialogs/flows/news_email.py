"""News by e-mail, where the chat cannot deliver it (the web chat, Messenger, Instagram):
the resident gives an address, we send a link to it, and news starts once it is opened
(double opt-in). Every letter after that has a one-click way to stop."""

from __future__ import annotations

import hashlib
import hmac

from dialogs.definitions import Goto, Say, Turn
from dialogs.flows.reach import reach_value
from dialogs.letters import Letter, LetterLink
from locales import N_
from storage import news_emails, outbox, rate_limits
from storage.news_emails import NewsEmailRow
from storage.news_tables import BY_EMAIL
from storage.tables import Lane

ASK_ADDRESS = N_(
    "Write your e-mail address. We send a link to it, and news starts when you open it."
)
SENT_LINK = N_("We sent a link to {address}. Open it to confirm the address.")
COMES_TO = N_("News comes by e-mail to {address}.")
WAITS_FOR_LINK = N_("News starts when you open the link we sent to {address}.")
TOO_MANY_LINKS = N_(
    "We have sent several links today. Open the one we sent, or try again tomorrow."
)
# Links sent in a day, by one person and to one address: a chat must not become a way to
# fill someone's mailbox.
LINKS_PER_DAY = rate_limits.Limit(limit=3, seconds=24 * 3600, buckets=24)

CONFIRM_SUBJECT = N_("Confirm news from Yhdessä osallistuen")
CONFIRM_TEXT = N_(
    "You asked in the chat of Yhdessä osallistuen for news by e-mail.\n\n"
    "If it was not you, you do not need to do anything. We delete the address in a week."
)
CONFIRM_LINK = N_("To confirm, open this link and press “Confirm”:")


def address_of(turn: Turn) -> NewsEmailRow | None:
    return news_emails.of_participant(
        connection=turn.connection, participant_id=turn.participant.id
    )


def where_it_comes(turn: Turn, row: NewsEmailRow) -> Say:
    return Say(COMES_TO if row.confirmed else WAITS_FOR_LINK, {"address": row.address})


def take_address(turn: Turn, text: str, *, ask_again: str, then: str) -> Goto:
    """The typed address: kept unconfirmed, and the confirmation link sent to it."""
    checked = reach_value("email", text)
    if isinstance(checked, Say):
        return Goto(ask_again, say=(checked,), enter=False)
    if not _may_send_link(turn, checked):
        return Goto(then, say=(Say(TOO_MANY_LINKS),))
    row = news_emails.set_address(
        connection=turn.connection,
        participant_id=turn.participant.id,
        address=checked,
        language=turn.language,
        now=turn.now,
    )
    t = turn.translator
    letter = Letter(
        subject=t.gettext(CONFIRM_SUBJECT),
        text=t.gettext(CONFIRM_TEXT),
        link_text=t.gettext(CONFIRM_LINK),
        link=LetterLink.CONFIRM,
        language=turn.language,
    )
    outbox.enqueue(
        connection=turn.connection,
        channel=BY_EMAIL,
        recipient=str(row.id),
        participant_id=turn.participant.id,
        inbox_id=None,
        payloads=[letter.to_json()],
        now=turn.now,
        lane=Lane.REPLY,
    )
    return Goto(then, say=(Say(SENT_LINK, {"address": row.address}),))


def _may_send_link(turn: Turn, address: str) -> bool:
    # The address is counted under a keyed digest: the counters hold no address.
    digest = hmac.new(turn.config.ballot_key, address.casefold().encode(), hashlib.sha256)
    keys = (f"news-link:p{turn.participant.id}", f"news-link:a{digest.hexdigest()[:32]}")
    hits: list[tuple[str, rate_limits.Hit]] = []
    for key in keys:
        hit = rate_limits.hit(
            connection=turn.connection, key=key, limit=LINKS_PER_DAY, now=turn.now
        )
        if not hit.allowed:
            for done_key, done in hits:
                rate_limits.undo(connection=turn.connection, key=done_key, hit=done)
            return False
        hits.append((key, hit))
    return True
