"""``osallistu meta setup`` and Meta's data-deletion callback."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from bot.app import create_app
from bot.cli import cli
from bot.services import Services, build_services
from storage.tables import participant_t
from tests.conftest import make_settings
from tests.handlers import meta_payloads as meta
from tests.support.fake_graph import FakeGraph

SECRET = b"meta-app-secret-" + b"c" * 32


def signed_request(payload: dict, secret: bytes = SECRET) -> str:  # type: ignore[type-arg]
    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    body = b64(json.dumps(payload).encode())
    return b64(hmac.new(secret, body.encode(), hashlib.sha256).digest()) + "." + body


def test_meta_setup_sets_menu_greeting_and_ice_breakers(
    fake_graph: tuple[FakeGraph, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    server, url = fake_graph
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("OSALLISTU_DEV_MODE", "1")
    monkeypatch.setenv("OSALLISTU_META_PAGE_ACCESS_TOKEN", "page-token-" + "p" * 40)
    monkeypatch.setenv("OSALLISTU_GRAPH_API_URL", url)
    result = CliRunner().invoke(cli, ["meta", "setup"])
    assert result.exit_code == 0, result.output
    profile, breakers = (call["body"] for call in server.profile)
    assert profile["get_started"] == {"payload": "GET_STARTED"}
    menus = {menu["locale"]: menu["call_to_actions"] for menu in profile["persistent_menu"]}
    assert set(menus) == {"default", "fi_FI", "sv_SE", "en_US"}
    assert menus["fi_FI"][0] == {"type": "postback", "title": "Päävalikko", "payload": "menu"}
    assert all(len(item["title"]) <= 30 for items in menus.values() for item in items)
    assert {g["locale"] for g in profile["greeting"]} == {"default", "fi_FI", "sv_SE", "en_US"}
    assert breakers["platform"] == "instagram"
    assert all(len(b["call_to_actions"]) <= 4 for b in breakers["ice_breakers"])


@pytest.fixture
def services(sqlite_database_url: str, tmp_path: Path) -> Iterator[Services]:
    built = build_services(
        make_settings(
            sqlite_database_url,
            meta_app_secret=SECRET.decode(),
            meta_verify_token="v" * 40,
            media_dir=tmp_path,
        )
    )
    yield built
    built.database.dispose()


@pytest.fixture
async def client(services: Services) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=create_app(services.settings, services=services))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


async def test_the_deletion_callback_erases_the_person(
    client: httpx.AsyncClient, services: Services
) -> None:
    body = meta.delivery([meta.text(1, "hei")])
    assert (
        await client.post("/webhooks/meta", content=body, headers=meta.signed(body, SECRET))
    ).status_code == 200
    answer = await client.post(
        "/webhooks/meta/data-deletion",
        data={
            "signed_request": signed_request(
                {"algorithm": "HMAC-SHA256", "user_id": meta.PSID, "issued_at": int(time.time())}
            )
        },
    )
    assert answer.status_code == 200
    reply = answer.json()
    assert set(reply) == {"url", "confirmation_code"}
    with services.database.connect() as connection:
        assert (
            connection.execute(sa.select(sa.func.count()).select_from(participant_t)).scalar_one()
            == 0
        )
    status = await client.get(reply["url"].replace("http://test", ""))
    assert status.status_code == 200 and reply["confirmation_code"] in status.text
    assert "Poistopyyntö" in status.text
    assert status.headers["content-type"].startswith("text/plain")
    assert status.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    "issued_at",
    [int(time.time()) - 2 * 24 * 3600, int(time.time()) + 3600, None, "yesterday"],
    ids=["two-days-old", "from-the-future", "missing", "not-a-time"],
)
async def test_an_old_or_undated_deletion_request_is_refused(
    client: httpx.AsyncClient, services: Services, issued_at: object
) -> None:
    body = meta.delivery([meta.text(1, "hei")])
    await client.post("/webhooks/meta", content=body, headers=meta.signed(body, SECRET))
    payload = {"algorithm": "HMAC-SHA256", "user_id": meta.PSID}
    if issued_at is not None:
        payload["issued_at"] = issued_at
    answer = await client.post(
        "/webhooks/meta/data-deletion", data={"signed_request": signed_request(payload)}
    )
    assert answer.status_code == 403
    with services.database.connect() as connection:  # nobody was erased by a replay
        assert (
            connection.execute(sa.select(sa.func.count()).select_from(participant_t)).scalar_one()
            == 1
        )


async def test_a_forged_deletion_request_is_refused(client: httpx.AsyncClient) -> None:
    forged = signed_request({"algorithm": "HMAC-SHA256", "user_id": "1"}, secret=b"other-secret")
    assert (
        await client.post("/webhooks/meta/data-deletion", data={"signed_request": forged})
    ).status_code == 403
    assert (
        await client.post("/webhooks/meta/data-deletion", data={"signed_request": "nonsense"})
    ).status_code == 403
