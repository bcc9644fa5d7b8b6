"""Every channel's spec, in one list; the rest of the system asks here."""

from __future__ import annotations

from collections.abc import Mapping

from dialogs.channels import ChannelRules
from handlers.meta.spec import INSTAGRAM, MESSENGER
from handlers.spec import ChannelSpec, PhotoSource
from handlers.telegram.spec import SPEC as TELEGRAM
from handlers.webchat.spec import SPEC as WEBCHAT

CHANNELS: tuple[ChannelSpec, ...] = (WEBCHAT, TELEGRAM, MESSENGER, INSTAGRAM)
_BY_NAME = {spec.channel: spec for spec in CHANNELS}


def spec_of(channel: str) -> ChannelSpec:
    return _BY_NAME[channel]


def rules() -> Mapping[str, ChannelRules]:
    """The conversation layer's view of every channel."""
    return {spec.channel: spec.rules for spec in CHANNELS}


def photo_spec(ref: str | None) -> ChannelSpec | None:
    """The channel whose platform still holds this stored photo (None: our own file)."""
    if ref is None:
        return None
    return next((s for s in CHANNELS if s.photo_prefix and ref.startswith(s.photo_prefix)), None)


def fetched_by_job() -> tuple[str, ...]:
    """Prefixes of photos a job must fetch before their links expire."""
    return tuple(
        spec.photo_prefix
        for spec in CHANNELS
        if spec.photos is PhotoSource.FETCH_JOB and spec.photo_prefix
    )


def erased_by_meta() -> tuple[str, ...]:
    return tuple(spec.channel for spec in CHANNELS if spec.erased_by_meta)
