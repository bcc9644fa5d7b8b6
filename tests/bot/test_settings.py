"""Settings refuse placeholder secrets outside development mode and fill them in within it."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.settings import load_settings

GOOD = "k" * 40


def test_production_needs_a_pseudonym_key() -> None:
    with pytest.raises(ValidationError, match="PSEUDONYM_KEY is required"):
        load_settings(_env_file=None, dev_mode=False)


@pytest.mark.parametrize("secret", ["changeme", "secret", "short-but-not-placeholder"])
def test_placeholder_or_short_secrets_are_refused(secret: str) -> None:
    with pytest.raises(ValidationError, match="placeholder or is shorter"):
        load_settings(_env_file=None, pseudonym_key=GOOD, meta_app_secret=secret)


@pytest.mark.parametrize("secret", ["has spaces" + "x" * 30, "x" * 31, "ä" * 40])
def test_the_telegram_webhook_secret_must_have_telegrams_shape(secret: str) -> None:
    with pytest.raises(ValidationError, match="Telegram's webhook secret"):
        load_settings(_env_file=None, pseudonym_key=GOOD, telegram_webhook_secret=secret)


def test_development_mode_generates_a_key_says_so_and_keeps_it(
    caplog: pytest.LogCaptureFixture, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with caplog.at_level(logging.WARNING):
        settings = load_settings(_env_file=None, dev_mode=True)
    assert len(settings.pseudonym_secret()) >= 32
    assert "generated OSALLISTU_PSEUDONYM_KEY" in caplog.text
    assert settings.pseudonym_secret().decode() not in caplog.text
    # The next start (a restart of make run) uses the same key: one vote stays one vote.
    assert (
        load_settings(_env_file=None, dev_mode=True).pseudonym_secret()
        == settings.pseudonym_secret()
    )


def test_environment_variables_are_read_with_the_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OSALLISTU_PORT", "8123")
    monkeypatch.setenv("OSALLISTU_PSEUDONYM_KEY", GOOD)
    settings = load_settings(_env_file=None)
    assert settings.port == 8123
    assert settings.telegram_enabled is False and settings.meta_enabled is False
    assert GOOD not in repr(settings)
