"""Messenger's and Instagram's facts: Meta's 24-hour window (then HUMAN_AGENT for a person of
the team, 7 days), photos as CDN links that expire, and Meta's data-deletion callback."""

from __future__ import annotations

from datetime import timedelta

from dialogs.channels import ChannelRules
from dialogs.events import Channel
from handlers.spec import ChannelSpec, PhotoSource

WINDOW = timedelta(hours=24)
HUMAN_AGENT_WINDOW = timedelta(days=7)
# Meta Business Suite's inbox, as an app of the page's: the target of a handover.
PAGE_INBOX_APP_ID = 263902037430900
WEBHOOK_PATH = "/webhooks/meta"
BODY_LIMIT = 1024 * 1024  # Meta batches up to 1,000 updates in one delivery


def _spec(channel: Channel, label: str) -> ChannelSpec:
    return ChannelSpec(
        # Announcements: Meta's marketing messages exclude the EU and every message tag but
        # HUMAN_AGENT is retired, so news cannot go out here (the default, NOT_ALLOWED).
        rules=ChannelRules(channel=channel, window=WINDOW, human_window=HUMAN_AGENT_WINDOW),
        label=label,
        webhook_path=WEBHOOK_PATH,
        body_limit=BODY_LIMIT,
        photos=PhotoSource.FETCH_JOB,
        photo_prefix=f"{channel}:",
        erased_by_meta=True,
    )


MESSENGER = _spec(Channel.MESSENGER, "Messenger")
INSTAGRAM = _spec(Channel.INSTAGRAM, "Instagram")
