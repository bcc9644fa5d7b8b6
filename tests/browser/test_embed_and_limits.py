"""The chat embedded on another site (served as ``localhost`` while the chat is on
``127.0.0.1``, so the frame is really cross-site), a phone photo scaled down by the page,
and a machine-fast hand told to wait while nothing it sent is lost."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect
from starlette.applications import Starlette
from starlette.responses import HTMLResponse
from starlette.routing import Route

from bot.app import create_app
from bot.services import Services, build_services
from tests.browser.conftest import serious_violations
from tests.conftest import make_settings
from tests.support import images
from tests.support.live_server import free_port, live_server

pytestmark = pytest.mark.browser

HOST_PAGE = """<!doctype html>
<html lang="sv"><head><meta charset="utf-8"><title>Staden</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><header><h1>S:t Michels stad</h1></header>
<main><p>Välkommen till stadens webbplats.</p></main>
<script src="{chat}/embed.js" async></script></body></html>"""


def _host_site(chat_url: str) -> Starlette:
    page = HOST_PAGE.replace("{chat}", chat_url)
    return Starlette(routes=[Route("/", lambda _request: HTMLResponse(page))])


@pytest.fixture
def embedding(sqlite_database_url: str, tmp_path: Path) -> Iterator[tuple[str, str, Services]]:
    """A host site on localhost listed in EMBED_ORIGINS, and the chat on 127.0.0.1."""
    host_port = free_port()
    services = build_services(
        make_settings(
            sqlite_database_url,
            media_dir=tmp_path / "media",
            embed_origins=[f"http://localhost:{host_port}"],
        )
    )
    with ExitStack() as stack:
        chat_url = stack.enter_context(
            live_server(create_app(services.settings, services=services))
        )
        stack.enter_context(live_server(_host_site(chat_url), port=host_port))  # type: ignore[arg-type]
        yield f"http://localhost:{host_port}", chat_url, services
    services.database.dispose()


def _mobile(browser: Any, width: int = 360, height: int = 640) -> Any:
    return browser.new_context(locale="fi-FI", viewport={"width": width, "height": height})


def test_a_resident_leaves_an_idea_inside_the_chat_on_another_site(
    browser: Any, embedding: tuple[str, str, Services], tmp_path: Path
) -> None:
    host, _chat, _services = embedding
    page = _mobile(browser).new_page()
    page.goto(host)
    launcher = page.get_by_role("button", name="Chatta med oss")  # the host page's lang
    launcher.click()
    panel = page.get_by_role("dialog", name="Chatten för projektet Yhdessä osallistuen")
    panel.wait_for()
    assert page.evaluate("document.activeElement.tagName") == "IFRAME"  # focus moved in
    chat = page.frame_locator("iframe")
    chat.locator("#log").get_by_text("Hej! Jag är").wait_for()
    for label in ("Ja, det går bra", "Berätta om din idé"):
        chat.get_by_role("button", name=label).click()
    chat.locator(".choices button").first.click()  # a theme
    chat.locator(".choices button").first.click()  # an area
    chat.locator("#message").fill("Fler bänkar vid torget, tack.")
    chat.locator("#message").press("Enter")
    chat.get_by_role("button", name="Ingen bild").click()
    chat.locator(".choices").get_by_role("button", name="Nej", exact=True).click()  # no contact
    chat.locator(".choices").get_by_role("button", name="Skicka", exact=True).click()
    chat.locator("#log").get_by_text(re.compile(r"ID-\d{4}-\d{4}")).wait_for()
    page.screenshot(path=tmp_path / "embedded-360.png")
    assert serious_violations(page) == []
    # Escape inside the chat closes the panel, and the focus is back on the launcher.
    chat.locator("#message").press("Escape")
    panel.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.textContent") == "Chatta med oss"


def test_the_panel_opens_and_closes_by_keyboard_on_a_desktop(
    browser: Any, embedding: tuple[str, str, Services]
) -> None:
    host, _chat, _services = embedding
    page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
    page.goto(host)
    page.get_by_role("button", name="Chatta med oss").focus()
    page.keyboard.press("Enter")
    page.frame_locator("iframe").locator("#log").get_by_text("Hej! Jag är").wait_for()
    launcher = page.locator("button[aria-controls='osallistu-chat-panel']")
    assert launcher.get_attribute("aria-expanded") == "true"
    page.get_by_role("button", name="Stäng chatten").click()
    assert page.evaluate("document.activeElement.textContent") == "Chatta med oss"
    assert serious_violations(page) == []


def test_a_site_not_in_embed_origins_gets_no_chat(
    browser: Any, sqlite_database_url: str, tmp_path: Path
) -> None:
    services = build_services(make_settings(sqlite_database_url, media_dir=tmp_path))
    with live_server(create_app(services.settings, services=services)) as chat_url:
        host_port = free_port()
        with live_server(_host_site(chat_url), port=host_port):  # type: ignore[arg-type]
            page = browser.new_context().new_page()
            warnings: list[str] = []
            page.on("console", lambda message: warnings.append(message.text))
            page.goto(f"http://localhost:{host_port}")
            page.wait_for_load_state("networkidle")
            # No button that would open a panel the browser keeps empty, and the site's
            # developer is told what to set.
            expect(page.get_by_role("button", name="Chatta med oss")).to_have_count(0)
            assert any("EMBED_ORIGINS" in warning for warning in warnings), warnings
            # The chat itself still refuses the frame there (frame-ancestors), whatever a
            # page does with the script.
            page.evaluate(
                "chat => { const f = document.createElement('iframe'); f.src = chat;"
                " document.body.appendChild(f); }",
                chat_url,
            )
            page.wait_for_timeout(1500)
            framed = [f for f in page.frames if f != page.main_frame]
            assert framed, "no frame was made"
            assert framed[0].evaluate("document.getElementById('log')") is None
    services.database.dispose()


@pytest.fixture
def quick_server(sqlite_database_url: str, tmp_path: Path) -> Iterator[tuple[str, Services]]:
    """The chat with a tight flood limit (two at once, then one every two seconds)."""
    services = build_services(
        make_settings(
            sqlite_database_url, media_dir=tmp_path / "media", flood_burst=2, flood_per_minute=30
        )
    )
    with live_server(create_app(services.settings, services=services)) as url:
        yield url, services
    services.database.dispose()


def test_a_machine_fast_hand_is_told_to_wait_and_nothing_it_sent_is_lost(
    browser: Any, quick_server: tuple[str, Services]
) -> None:
    url, _services = quick_server
    page = _mobile(browser).new_page()
    page.goto(url)
    page.get_by_role("button", name="Kyllä, sopii").wait_for()
    for text in ("apua", "valikko", "apua", "valikko"):  # typed faster than the limit allows
        page.get_by_label("Viestisi").fill(text)
        page.keyboard.press("Enter")
    page.get_by_role("status").get_by_text("Hetki vain").wait_for(timeout=10_000)
    assert page.locator(".choices button").count() > 0  # the buttons stay while it waits
    # Each of the four is sent again after its wait, until all are answered.
    expect(page.locator("#log .msg.you")).to_have_count(4, timeout=30_000)
    expect(page.get_by_role("status")).to_have_text("", timeout=30_000)
    expect(page.locator("#log .msg.bot").last).to_have_text(
        re.compile("Mitä haluat tehdä"), timeout=30_000
    )
    bot = page.locator("#log .msg.bot").all_inner_texts()
    assert bot[-1].endswith("Mitä haluat tehdä?")  # the last, "valikko", was answered too


def test_a_big_camera_photo_is_scaled_down_by_the_page(
    browser: Any, services: Services, tmp_path: Path
) -> None:
    camera = tmp_path / "camera.jpg"
    camera.write_bytes(images.phone_photo(4000, 3000))  # about 8 MB: over the limit as it is
    with live_server(create_app(services.settings, services=services)) as url:
        page = _mobile(browser).new_page()
        page.goto(url)
        for label in ("Kyllä, sopii", "Kerro ideasi", "Nuoret", "Keskusta"):
            page.locator(".choices").get_by_role("button", name=label).click()
        page.get_by_label("Viestisi").fill("Valoja pyörätielle")
        page.keyboard.press("Enter")
        page.get_by_role("button", name="Lisää kuva").wait_for()
        page.locator("#photo").set_input_files(str(camera))
        page.locator("#log").get_by_text("Kiitos, sain kuvan.").wait_for(timeout=20_000)
    (stored,) = list(services.settings.media_dir.iterdir())
    width, height = images.size_of(stored.read_bytes())
    assert (width, height) == (1536, 2048)  # the long side at 2,048, upright
    assert not images.has_exif(stored.read_bytes())
