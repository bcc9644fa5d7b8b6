"""The web chat's facts: synchronous, no window, photos uploaded before their message."""

from __future__ import annotations

from dialogs.channels import Announcements, ChannelRules
from dialogs.events import Channel
from handlers.spec import ChannelSpec, PhotoSource
from locales import N_

SPEC = ChannelSpec(
    # Nothing reaches a web chat page once it is closed: news goes by e-mail.
    rules=ChannelRules(
        channel=Channel.WEBCHAT, synchronous=True, announcements=Announcements.BY_EMAIL
    ),
    label=N_("Web chat"),
    webhook_path="/webchat/",
    body_limit=512 * 1024,
    photos=PhotoSource.UPLOAD,
)
