"""Fuzzing every inbound parser: any body, however malformed, gets a 2xx or a 4xx, never a
5xx, and a refused body changes no table (Hypothesis; signed where the channel signs)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.app import create_app
from bot.services import Services, build_services
from storage.tables import conversation_t, inbox_t, outbox_t, participant_t
from tests.conftest import make_settings
from tests.handlers import meta_payloads as meta

TELEGRAM_SECRET = "telegram-secret-" + "x" * 32
APP_SECRET = b"meta-app-secret-" + b"a" * 32
FUZZ = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Keys the parsers look for, so that random bodies reach past the first check.
KEYS = st.sampled_from(
    [
        "update_id",
        "message",
        "edited_message",
        "callback_query",
        "my_chat_member",
        "from",
        "chat",
        "id",
        "is_bot",
        "first_name",
        "type",
        "date",
        "text",
        "data",
        "photo",
        "file_id",
        "location",
        "latitude",
        "longitude",
        "venue",
        "sticker",
        "language_code",
        "new_chat_member",
        "status",
        "object",
        "entry",
        "messaging",
        "standby",
        "sender",
        "recipient",
        "timestamp",
        "mid",
        "quick_reply",
        "payload",
        "postback",
        "referral",
        "ref",
        "attachments",
        "url",
        "coordinates",
        "lat",
        "long",
        "is_echo",
        "is_deleted",
        "is_unsupported",
        "reaction",
        "read",
        "delivery",
        "session",
        "choice",
        "locale",
        "ack",
        "image",
    ]
)
# Texts with lone surrogates: JSON's "\ud800" decodes to one, and no UTF-8 encoder takes it.
TEXTS = st.one_of(
    st.text(max_size=40),
    st.text(
        alphabet=st.one_of(
            st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF),
            st.characters(codec="utf-8"),
        ),
        max_size=20,
    ),
)
# Integers beyond 64 bits too: an id that big overflows a database driver.
INTEGERS = st.one_of(st.integers(min_value=-(2**63), max_value=2**63), st.integers())
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    INTEGERS,
    st.floats(allow_nan=False, allow_infinity=False),
    TEXTS,
    st.sampled_from(["page", "instagram", "private", "/start poll_1", "consent.yes", "kicked"]),
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(KEYS, st.text(max_size=8)), inner, max_size=6),
    ),
    max_leaves=30,
)
BODIES = st.one_of(JSON.map(lambda v: json.dumps(v).encode()), st.binary(max_size=300))


def _counts(services: Services) -> list[int]:
    with services.database.connect() as connection:
        return [
            connection.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
            for t in (participant_t, conversation_t, inbox_t, outbox_t)
        ]


@pytest.fixture
def fuzzed(sqlite_database_url: str, tmp_path: Path) -> Iterator[tuple[Services, TestClient]]:
    services = build_services(
        make_settings(
            sqlite_database_url,
            telegram_token="123456:TEST-token",
            telegram_webhook_secret=TELEGRAM_SECRET,
            telegram_api_url="http://127.0.0.1:9/bot",  # never called inside a request
            meta_app_secret=APP_SECRET.decode(),
            meta_verify_token="verify-" + "v" * 32,
            media_dir=tmp_path,
        )
    )
    app = create_app(services.settings, services=services)
    yield services, TestClient(app, raise_server_exceptions=False)
    services.database.dispose()


def _check(
    services: Services, client: TestClient, path: str, body: bytes, headers: dict[str, str]
) -> None:
    before = _counts(services)
    response = client.post(
        path, content=body, headers={"content-type": "application/json", **headers}
    )
    assert response.status_code < 500, (path, body[:200], response.text[:200])
    if response.status_code >= 400:
        assert _counts(services) == before, "a refused body left rows behind"


@FUZZ
@given(body=BODIES)
@example(body=b'{"update_id": false, "message": false}')  # found by this test
@example(body=b'{"update_id": 1, "message": false}')
@example(body=b'{"update_id": 1, "message": {"chat": 5, "from": []}}')
@example(body=b'{"update_id": 18446744073709551616, "message": {"text": "x"}}')
def test_the_telegram_webhook_never_fails_on_any_body(
    fuzzed: tuple[Services, TestClient], body: bytes
) -> None:
    services, client = fuzzed
    _check(
        services,
        client,
        "/webhooks/telegram",
        body,
        {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET},
    )


@FUZZ
@given(body=BODIES)
@example(body=b'{"object": []}')  # found by this test: an unhashable "object"
@example(body=b'{"object": "page", "entry": 5}')
@example(body=b'{"object": "page", "entry": [{"messaging": 7}]}')
@example(body=b'{"object": "page", "entry": [{"messaging": "abc"}]}')
@example(
    body=b'{"object": "page", "entry": [{"messaging": [{"sender": {"id": "1"}, '
    b'"timestamp": 1e300, "message": {"mid": "m", "text": "hei"}}]}]}'
)
@example(
    body=b'{"object": "page", "entry": [{"messaging": [{"sender": {"id": "1"}, '
    b'"message": {"mid": "m", "attachments": 5}}]}]}'
)
@example(
    body=b'{"object": "page", "entry": [{"messaging": [{"sender": {"id": "\\ud800"}, '
    b'"message": {"mid": "m\\udfff", "text": "\\ud800"}}]}]}'
)
@example(
    body=b'{"object": "page", "entry": [{"messaging": [{"sender": {"id": 18446744073709551616}, '
    b'"timestamp": 18446744073709551616, "message": {"mid": "m", "text": "hei"}}]}]}'
)
def test_the_meta_webhook_never_fails_on_any_signed_body(
    fuzzed: tuple[Services, TestClient], body: bytes
) -> None:
    services, client = fuzzed
    _check(services, client, "/webhooks/meta", body, meta.signed(body, APP_SECRET))


@FUZZ
@given(
    body=st.one_of(
        BODIES,
        st.fixed_dictionaries(
            {"session": st.one_of(st.text(max_size=20), st.just("fuzzed-session-0001"))},
            optional={
                "text": SCALARS,
                "choice": SCALARS,
                "id": SCALARS,
                "location": JSON,
                "ack": st.lists(INTEGERS, max_size=3),
                "locale": SCALARS,
            },
        ).map(lambda v: json.dumps(v).encode()),
    )
)
@example(body=b'{"session": "fuzzed-session-0001", "ack": [18446744073709551616]}')
@example(body=b'{"session": "fuzzed-session-0001", "text": "a\\ud800b"}')
def test_the_web_chat_never_fails_on_any_body(
    fuzzed: tuple[Services, TestClient], body: bytes
) -> None:
    services, client = fuzzed
    _check(services, client, "/webchat/messages", body, {})
    _check(services, client, "/webchat/updates", body, {})
