"""Photos in the web chat: a real phone photo fits, is kept upright and without its EXIF;
anything that only looks like a photo is refused; uploads are counted per session and per
address; a photo never attached to anything is gone an hour later."""

from __future__ import annotations

import os
import time
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from bot.app import create_app
from bot.media_sweep import sweep_unattached
from bot.services import Services, build_services
from bot.settings import Settings
from tests.conftest import make_settings
from tests.support import images
from tests.support.data import leave_idea
from tests.support.talk import Talk

SESSION = "photo-session-0001"


@pytest.fixture
async def photo_services(database_url: str, tmp_path: Path) -> AsyncIterator[Services]:
    """On both databases, with the upload limits as deployed."""
    fields = Settings.model_fields
    built = build_services(
        make_settings(
            database_url,
            media_dir=tmp_path / "media",
            webchat_photos_per_session_per_hour=fields[
                "webchat_photos_per_session_per_hour"
            ].default,
            webchat_photos_per_address_per_hour=fields[
                "webchat_photos_per_address_per_hour"
            ].default,
        )
    )
    yield built
    built.database.dispose()


@pytest.fixture
async def client(photo_services: Services) -> AsyncIterator[httpx.AsyncClient]:
    app = create_app(photo_services.settings, services=photo_services)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


async def _upload(
    client: httpx.AsyncClient, data: bytes, session: str = SESSION, kind: str = "image/jpeg"
) -> httpx.Response:
    return await client.post(
        "/webchat/images", params={"session": session}, content=data, headers={"content-type": kind}
    )


async def test_a_three_megabyte_phone_photo_is_kept_upright_and_without_exif(
    client: httpx.AsyncClient, photo_services: Services
) -> None:
    photo = images.phone_photo()
    assert len(photo) > 3_000_000 and images.has_exif(photo)
    stored = await _upload(client, photo)
    assert stored.status_code == 200, stored.text
    ref = stored.json()["image"]
    kept = (photo_services.settings.media_dir / ref).read_bytes()
    assert not images.has_exif(kept)  # no GPS position, no camera serial
    assert b"SN-0042-FAKE" not in kept
    assert images.size_of(kept) == (1800, 2400)  # "rotate 90°" applied to the pixels
    await client.post("/webchat/messages", json={"session": SESSION, "text": "/start", "id": "1"})
    sent = await client.post(
        "/webchat/messages", json={"session": SESSION, "image": ref, "id": "2"}
    )
    assert sent.status_code == 200


async def test_messages_stay_at_512_kib_while_a_photo_may_be_five_megabytes(
    client: httpx.AsyncClient,
) -> None:
    big = await client.post(
        "/webchat/messages", json={"session": SESSION, "text": "x" * 600_000, "id": "1"}
    )
    assert big.status_code == 413
    too_big = await _upload(client, images.small_png() + b"\x00" * (5 * 1024 * 1024 + 1))
    assert too_big.status_code == 413


@pytest.mark.parametrize(
    ("data", "status"),
    [
        (images.HTML_BEHIND_A_JPEG_HEADER, 415),
        (images.phone_photo(200, 100)[:3000], 415),  # cut short
        (b"<svg onload=alert(1)>", 415),
        (images.pixel_bomb(), 413),
    ],
    ids=["html-behind-a-jpeg-header", "truncated", "svg", "pixel-bomb"],
)
async def test_what_only_looks_like_a_photo_is_refused_and_nothing_is_kept(
    client: httpx.AsyncClient, photo_services: Services, data: bytes, status: int
) -> None:
    answer = await _upload(client, data)
    assert answer.status_code == status
    media = photo_services.settings.media_dir
    assert not media.exists() or not any(media.iterdir())


async def test_a_jpeg_with_html_after_its_end_keeps_only_the_picture(
    client: httpx.AsyncClient, photo_services: Services
) -> None:
    polyglot = images.phone_photo(300, 200) + b"<html><script>alert(1)</script></html>"
    ref = (await _upload(client, polyglot)).json()["image"]
    assert b"<script>" not in (photo_services.settings.media_dir / ref).read_bytes()


async def test_an_animated_gif_keeps_its_first_frame(
    client: httpx.AsyncClient, photo_services: Services
) -> None:
    ref = (await _upload(client, images.animated_gif(), kind="image/gif")).json()["image"]
    assert ref.endswith(".png")
    assert images.size_of((photo_services.settings.media_dir / ref).read_bytes()) == (20, 20)


async def test_photos_are_counted_per_session_and_the_eleventh_in_an_hour_waits(
    client: httpx.AsyncClient,
) -> None:
    photo = images.small_png()
    statuses = [(await _upload(client, photo, kind="image/png")).status_code for _ in range(11)]
    assert statuses == [200] * 10 + [429]
    refused = await _upload(client, photo, kind="image/png")
    assert int(refused.headers["retry-after"]) > 0
    assert "kuvaa" in refused.json()["message"]
    other = await _upload(client, photo, session="photo-session-0002", kind="image/png")
    assert other.status_code == 200  # another person on the same network goes on


async def test_an_upload_needs_a_session(client: httpx.AsyncClient) -> None:
    answer = await client.post("/webchat/images", content=images.small_png())
    assert answer.status_code == 422


def _age(path: Path, hours: float) -> None:
    then = time.time() - hours * 3600
    os.utime(path, (then, then))


def test_a_photo_never_attached_is_removed_after_an_hour(
    services: Services, talk: Talk, tmp_path: Path
) -> None:
    from storage.media import save_image

    media = services.settings.media_dir
    attached = save_image(media_dir=media, data=images.small_png((1, 2, 3)))
    in_a_draft = save_image(media_dir=media, data=images.small_png((4, 5, 6)))
    forgotten = save_image(media_dir=media, data=images.small_png((7, 8, 9)))
    fresh = save_image(media_dir=media, data=images.small_png((9, 9, 9)))
    # One photo is sent with an idea; another waits in an idea someone is still writing.
    leave_idea(talk, "Penkkejä puistoon", photo=attached)
    writer = Talk(services.engine, locale="fi")
    writer.start()
    writer.press_id("consent.yes")
    writer.press_id("ideas")
    writer.press_id("theme.young")
    writer.press_id("area.centre")
    writer.send("Lisää valoja")
    writer.share_image(in_a_draft)
    for ref in (attached, in_a_draft, forgotten):
        _age(media / ref, hours=2)
    removed = sweep_unattached(database=services.database, media_dir=media)
    assert removed == 1
    assert sorted(p.name for p in media.iterdir()) == sorted([attached, in_a_draft, fresh])
    # The nightly round looks at every file, however old.
    _age(media / fresh, hours=24 * 30)
    later = datetime.now(UTC) + timedelta(hours=1)
    assert (
        sweep_unattached(database=services.database, media_dir=media, now=later, everything=True)
        == 1
    )
    assert not (media / fresh).exists()
