"""One spec per channel: every channel has one, and what the app does follows from it."""

from __future__ import annotations

from bot.app import body_limits
from bot.settings import Settings
from dialogs.events import Channel
from handlers.channels import CHANNELS, erased_by_meta, fetched_by_job, photo_spec, spec_of


def test_every_channel_has_exactly_one_spec() -> None:
    assert sorted(spec.channel for spec in CHANNELS) == sorted(c.value for c in Channel)


def test_the_app_takes_each_webhook_body_limit_from_its_spec(settings: Settings) -> None:
    limits = body_limits(settings)
    for spec in CHANNELS:
        if spec.webhook_path:
            assert limits[spec.webhook_path] == spec.body_limit


def test_photos_and_erasure_follow_the_specs() -> None:
    assert photo_spec("telegram:AgAC") is spec_of(Channel.TELEGRAM)
    assert photo_spec("0123456789abcdef0123456789abcdef.jpg") is None
    assert set(fetched_by_job()) == {"messenger:", "instagram:"}
    assert set(erased_by_meta()) == {Channel.MESSENGER, Channel.INSTAGRAM}
    assert spec_of(Channel.WEBCHAT).rules.synchronous
    assert spec_of(Channel.MESSENGER).rules.window is not None
