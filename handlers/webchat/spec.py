"""The web chat's facts: synchronous, no window, photos uploaded before their message."""

from __future__ import annotations

from dialogs.channels import ChannelRules
from dialogs.events import Channel
from handlers.spec import ChannelSpec, PhotoSource
from locales import N_

SPEC = ChannelSpec(
    rules=ChannelRules(channel=Channel.WEBCHAT, synchronous=True),
    label=N_("Web chat"),
    webhook_path="/webchat/",
    body_limit=512 * 1024,
    photos=PhotoSource.UPLOAD,
)
