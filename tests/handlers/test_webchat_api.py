"""``POST /webchat/messages`` and ``GET /`` as the page and other clients use them."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa

from bot.app import create_app
from bot.services import Services
from storage.tables import inbox_t, outbox_t, participant_t

SESSION = "web-session-0001"


@pytest.fixture
async def client(services: Services) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(services.settings, services=services)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


async def _say(client: httpx.AsyncClient, **body: object) -> httpx.Response:
    return await client.post("/webchat/messages", json={"session": SESSION, **body})


def _rows(services: Services) -> list[int]:
    with services.database.connect() as connection:
        return [
            connection.execute(sa.select(sa.func.count()).select_from(t)).scalar_one()
            for t in (participant_t, inbox_t, outbox_t)
        ]


async def test_a_conversation_over_the_api(client: httpx.AsyncClient) -> None:
    first = await _say(client, text="/start", locale="sv-FI", id="m1")
    assert first.status_code == 200
    replies = first.json()["replies"]
    assert replies[0]["text"].startswith("Hej!")
    assert [c["id"] for c in replies[-1]["choices"]] == [
        "consent.yes",
        "consent.no",
        "welcome.lang",
    ]
    assert replies[-1]["links"][0]["label"] == "Dataskyddsbeskrivning"
    menu = (await _say(client, choice="consent.yes", id="m2")).json()["replies"]
    assert menu[-1]["text"] == "Vad vill du göra?"
    assert [c["label"] for c in menu[-1]["choices"]][-3:] == ["Hjälp", "Språk", "Dataskydd"]


async def test_a_retried_request_with_the_same_id_is_handled_once(
    client: httpx.AsyncClient, services: Services
) -> None:
    await _say(client, text="/start", id="m1")
    first = await _say(client, choice="consent.yes", id="m2")
    rows = _rows(services)
    again = await _say(client, choice="consent.yes", id="m2")
    assert again.status_code == 200
    assert again.json() == first.json()
    assert _rows(services) == rows


async def test_the_browser_location_is_accepted(client: httpx.AsyncClient) -> None:
    await _say(client, text="/start", id="m1")
    answer = await _say(client, location={"lat": 61.69, "lon": 27.27}, id="m2")
    assert answer.status_code == 200
    assert answer.json()["replies"][-1]["choices"]


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"text": "hei"}, 422),  # no session
        ({"session": SESSION}, 422),  # nothing to say
        ({"session": SESSION, "text": "a", "choice": "menu"}, 422),  # two things at once
        ({"session": "short", "text": "hei"}, 422),
        ({"session": "bad session id!", "text": "hei"}, 422),
        ({"session": SESSION, "choice": "<script>"}, 422),
        ({"session": SESSION, "location": {"lat": 123, "lon": 27}}, 422),
        ({"session": SESSION, "text": 5}, 422),
        ({"session": SESSION, "text": "hei", "id": "x" * 500}, 422),
        ([1, 2, 3], 422),
    ],
)
async def test_bad_requests_get_a_clear_422_and_write_nothing(
    client: httpx.AsyncClient, services: Services, body: object, status: int
) -> None:
    answer = await client.post("/webchat/messages", json=body)
    assert answer.status_code == status
    assert answer.json()["message"] == "The request could not be read."
    assert _rows(services) == [0, 0, 0]


async def test_malformed_json_is_a_422(client: httpx.AsyncClient, services: Services) -> None:
    answer = await client.post(
        "/webchat/messages",
        content=b'{"session": "abc',
        headers={"content-type": "application/json"},
    )
    assert answer.status_code == 422
    assert _rows(services) == [0, 0, 0]


async def test_a_huge_message_gets_a_kind_reply_not_an_error(client: httpx.AsyncClient) -> None:
    await _say(client, text="/start", id="m1")
    answer = await _say(client, text="ä" * 100_000, id="m2")
    assert answer.status_code == 200
    assert "liian pitkä" in answer.json()["replies"][0]["text"]
    assert "ä" * 50 not in answer.text


async def test_a_body_over_the_limit_is_refused_with_413(
    client: httpx.AsyncClient, services: Services
) -> None:
    answer = await _say(client, text="x" * 600_000, id="m1")
    assert answer.status_code == 413
    assert _rows(services) == [0, 0, 0]


async def test_an_unknown_choice_id_reprompts(client: httpx.AsyncClient) -> None:
    await _say(client, text="/start", id="m1")
    answer = await _say(client, choice="no.such.choice", id="m2")
    assert answer.status_code == 200
    assert answer.json()["replies"][0]["text"].startswith("Tuo nappi ei ole enää käytössä")


async def test_nul_bytes_emoji_and_rtl_text_never_cause_a_500(client: httpx.AsyncClient) -> None:
    await _say(client, text="/start", id="m1")
    for index, text in enumerate(["\x00\x00", "🙂🙂", "مرحبا", "a\u202eb", "\ud7ff"]):
        answer = await _say(client, text=text, id=f"n{index}")
        assert answer.status_code == 200, text


@pytest.mark.parametrize(
    ("accept", "lang", "expected"),
    [
        ("sv-FI,sv;q=0.9", None, "sv"),
        ("en-US", None, "en"),
        ("de-DE", None, "fi"),
        ("en", "fi", "fi"),
    ],
)
async def test_the_page_speaks_the_browser_language(
    client: httpx.AsyncClient, accept: str, lang: str | None, expected: str
) -> None:
    params = {"lang": lang} if lang else {}
    page = await client.get("/", headers={"accept-language": accept}, params=params)
    assert page.status_code == 200
    assert f'<html lang="{expected}" dir="ltr">' in page.text
    assert 'role="log"' in page.text
    assert page.headers["content-language"] == expected


async def test_the_page_links_privacy_and_accessibility_statements(
    client: httpx.AsyncClient, services: Services
) -> None:
    page = await client.get("/")
    assert services.settings.accessibility_url in page.text
    assert services.settings.privacy_url in page.text
    assert "Saavutettavuusseloste" in page.text
    script = await client.get("/webchat/static/chat.js")
    assert script.status_code == 200
    assert "https://" not in script.text and "http://" not in script.text  # nothing remote


async def test_healthz(client: httpx.AsyncClient) -> None:
    answer = await client.get("/healthz")
    assert answer.json() == {"status": "ok"}


async def test_an_acknowledgement_beyond_64_bits_is_a_422(client: httpx.AsyncClient) -> None:
    answer = await client.post("/webchat/updates", json={"session": SESSION, "ack": [2**64, 1]})
    assert answer.status_code == 422
    assert answer.json()["message"] == "The request could not be read."


async def test_a_lone_surrogate_is_dropped_and_the_conversation_goes_on(
    client: httpx.AsyncClient,
) -> None:
    await _say(client, text="/start", id="m1")
    await _say(client, choice="consent.yes", id="m2")
    await _say(client, choice="contact", id="m3")
    await _say(client, choice="contact.start", id="m4")
    # JSON's "\ud800" decodes to a lone surrogate, which no UTF-8 encoder takes.
    named = await client.post(
        "/webchat/messages",
        content=b'{"session": "%s", "id": "m5", "text": "Sanna\\ud800 \\udfff"}' % SESSION.encode(),
        headers={"content-type": "application/json"},
    )
    assert named.status_code == 200
    for n, body in enumerate(({"choice": "how.chat"}, {"choice": "time.any"}, {"text": "hei"})):
        later = await _say(client, id=f"n{n}", **body)
        assert later.status_code == 200, later.text


async def test_a_chunked_body_over_the_limit_is_413_not_400(
    client: httpx.AsyncClient, services: Services
) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        yield b'{"session": "%s", "text": "' % SESSION.encode()
        for _ in range(40):
            yield b"x" * 16_384
        yield b'"}'

    answer = await client.post(
        "/webchat/messages", content=chunks(), headers={"content-type": "application/json"}
    )
    assert answer.status_code == 413
    assert _rows(services) == [0, 0, 0]


async def test_the_chat_page_allows_only_its_own_scripts_and_the_listed_frames(
    client: httpx.AsyncClient,
) -> None:
    page = await client.get("/")
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'self'" in policy
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    assert "<script>" not in page.text  # no inline script at all


async def test_embed_origins_are_the_sites_that_may_frame_the_chat(
    sqlite_database_url: str, tmp_path: Path
) -> None:
    from bot.services import build_services
    from tests.conftest import make_settings

    services = build_services(
        make_settings(
            sqlite_database_url,
            media_dir=tmp_path,
            embed_origins=["https://www.mikkeli.fi", "https://nuoret.example.org/"],
        )
    )
    transport = httpx.ASGITransport(app=create_app(services.settings, services=services))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        policy = (await client.get("/?embed=1")).headers["content-security-policy"]
        launcher = await client.get("/embed.js")
    assert "frame-ancestors 'self' https://www.mikkeli.fi https://nuoret.example.org;" in (
        policy + ";"
    )
    assert launcher.status_code == 200
    assert launcher.headers["content-type"].startswith("text/javascript")
    assert '"Chatta med oss"' in launcher.text and '"Chattaa kanssamme"' in launcher.text
    # It names the sites that may show it, and loads nothing from anywhere.
    assert '["https://www.mikkeli.fi", "https://nuoret.example.org"]' in launcher.text
    addresses = re.findall(r"https?://[^\s\"']*", launcher.text)
    assert sorted(set(addresses)) == ["https://nuoret.example.org", "https://www.mikkeli.fi"]
    services.database.dispose()


@pytest.mark.parametrize("origin", ["*", "https://*.mikkeli.fi", "www.mikkeli.fi", "https://a/b"])
def test_an_embed_origin_must_be_an_origin(origin: str, sqlite_database_url: str) -> None:
    from pydantic import ValidationError

    from tests.conftest import make_settings

    with pytest.raises(ValidationError, match="EMBED_ORIGINS"):
        make_settings(sqlite_database_url, embed_origins=[origin])


@pytest.mark.parametrize(
    ("dev_mode", "hsts", "expected"),
    [(False, True, True), (True, True, False), (False, False, False)],
)
async def test_hsts_outside_development_mode_unless_the_proxy_sets_it(
    sqlite_database_url: str, tmp_path: Path, dev_mode: bool, hsts: bool, expected: bool
) -> None:
    from bot.services import build_services
    from tests.conftest import make_settings

    services = build_services(
        make_settings(sqlite_database_url, media_dir=tmp_path, dev_mode=dev_mode, hsts=hsts)
    )
    transport = httpx.ASGITransport(app=create_app(services.settings, services=services))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        for path in ("/", "/healthz", "/staff/login"):
            response = await client.get(path)
            assert ("strict-transport-security" in response.headers) is expected, path
        openapi = await client.get("/openapi.json")
    assert openapi.status_code == (200 if dev_mode else 404)
    services.database.dispose()
