"""Photos sent on Messenger and Instagram: fetched from Meta's CDN (a fake on 127.0.0.1) soon
after the idea is sent, kept as our own files; lost photos do not block anything, and a
photo of an idea erased meanwhile is not kept."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.meta_photos import PhotoFetch, fetch_meta_photos, host_allowed
from bot.services import Services
from dialogs.events import Channel
from storage.domain_tables import idea_t
from tests.support import images
from tests.support.live_server import free_port, live_server
from tests.support.talk import Talk

JPEG = images.phone_photo(120, 80)  # with a GPS position and a camera serial in its EXIF
LIMIT = 50_000


class FakeCdn:
    def __init__(self) -> None:
        self.files: dict[str, bytes] = {"photo.jpg": JPEG, "page.html": b"<html>not a photo"}
        self.requests: list[str] = []

    async def _file(self, request: Request) -> Response:
        name = request.path_params["name"]
        self.requests.append(name)
        if name == "broken":
            return Response(status_code=503)
        data = self.files.get(name)
        return Response(data, media_type="image/jpeg") if data else Response(status_code=404)

    @property
    def app(self) -> Starlette:
        return Starlette(routes=[Route("/cdn/{name}", self._file)])


@pytest.fixture
def cdn() -> Iterator[tuple[FakeCdn, str]]:
    server = FakeCdn()
    with live_server(server.app) as url:  # type: ignore[arg-type]
        yield server, url


def _idea_with_photo(services: Services, user: str, ref: str) -> None:
    talk = Talk(services.engine, channel=Channel.MESSENGER, user_id=user)
    talk.start()
    for step in ("consent.yes", "ideas", "theme.nature", "area.otava"):
        talk.press_id(step)
    talk.send("Pyöräteille lisää valoja, illalla on pimeää.")
    talk.share_image(ref)
    talk.press_id("idea.contact.no")
    talk.press_id("idea.send")


def _refs(services: Services) -> list[str | None]:
    with services.database.connect() as connection:
        return list(
            connection.execute(sa.select(idea_t.c.photo_ref).order_by(idea_t.c.id)).scalars()
        )


async def _fetch(
    services: Services, hosts: tuple[str, ...] = ("127.0.0.1",), now: datetime | None = None
) -> int:
    fetch = PhotoFetch(media_dir=services.settings.media_dir, max_bytes=LIMIT, allowed_hosts=hosts)
    async with httpx.AsyncClient(timeout=5) as client:
        return await fetch_meta_photos(
            database=services.database, client=client, fetch=fetch, now=now
        )


async def test_a_photo_becomes_our_own_file(services: Services, cdn: tuple[FakeCdn, str]) -> None:
    _server, url = cdn
    _idea_with_photo(services, "2400000000000001", f"messenger:{url}/cdn/photo.jpg")
    assert await _fetch(services) == 1
    (ref,) = _refs(services)
    assert ref is not None and not ref.startswith("messenger:")
    kept = (services.settings.media_dir / ref).read_bytes()
    assert not images.has_exif(kept) and images.size_of(kept) == (80, 120)  # upright, no EXIF
    assert await _fetch(services) == 0  # nothing left to fetch


async def test_photos_that_cannot_be_had_are_let_go_and_passing_failures_retried(
    services: Services, cdn: tuple[FakeCdn, str]
) -> None:
    server, url = cdn
    for user, name in (("1", "expired.jpg"), ("2", "page.html"), ("3", "broken")):
        _idea_with_photo(services, f"240000000000000{user}", f"instagram:{url}/cdn/{name}")
    server.files["big.jpg"] = images.phone_photo(400, 300)  # over this test's limit
    _idea_with_photo(services, "2400000000000004", f"instagram:{url}/cdn/big.jpg")
    assert await _fetch(services) == 0
    refs = _refs(services)
    # Expired (404), not an image and too large: given up, the idea kept without a photo.
    assert refs.count(None) == 3
    # 503: still the link, tried again on the next round.
    assert [ref for ref in refs if ref] == [f"instagram:{url}/cdn/broken"]
    assert list(services.settings.media_dir.glob("*")) == []


async def test_only_metas_hosts_are_fetched(services: Services, cdn: tuple[FakeCdn, str]) -> None:
    server, url = cdn
    _idea_with_photo(services, "2400000000000005", f"messenger:{url}/cdn/photo.jpg")
    assert await _fetch(services, hosts=("fbcdn.net",)) == 0
    assert server.requests == []  # never asked
    assert _refs(services) == [None]
    assert host_allowed("https://scontent.xx.fbcdn.net/v/t1/a.jpg", ("fbcdn.net",))
    assert not host_allowed("https://fbcdn.net.example.org/a.jpg", ("fbcdn.net",))
    assert not host_allowed("file:///etc/passwd", ("fbcdn.net",))


async def test_a_photo_of_an_idea_erased_meanwhile_is_not_kept(
    services: Services, tmp_path: Path
) -> None:
    """The idea goes ("delete my data") while its photo is being downloaded."""
    media = services.settings.media_dir

    async def erase_then_answer(request: Request) -> Response:
        with services.database.begin() as connection:
            connection.execute(sa.delete(idea_t))
        return Response(JPEG, media_type="image/jpeg")

    app = Starlette(routes=[Route("/cdn/slow.jpg", erase_then_answer)])
    with live_server(app) as url:  # type: ignore[arg-type]
        _idea_with_photo(services, "2400000000000006", f"messenger:{url}/cdn/slow.jpg")
        assert await _fetch(services) == 0
    assert list(media.glob("*.jpg")) == []


async def test_an_unreachable_cdn_is_tried_again_for_a_week(services: Services) -> None:
    link = f"messenger:http://127.0.0.1:{free_port()}/cdn/a.jpg"
    _idea_with_photo(services, "2400000000000007", link)
    assert await _fetch(services) == 0
    assert _refs(services) == [link]
    # A week on, Meta's link is dead anyway: let go, so it never holds up newer photos.
    assert await _fetch(services, now=datetime.now(UTC) + timedelta(days=8)) == 0
    assert _refs(services) == [None]
