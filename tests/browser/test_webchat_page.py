"""The web chat in a real browser: a conversation by mouse and keyboard, in three languages,
with no serious or critical accessibility violation (axe-core) and reflow at 320 px."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import serious_violations

pytestmark = pytest.mark.browser


def _page(browser: Any, locale: str = "fi-FI", width: int = 390) -> Any:
    context = browser.new_context(locale=locale, viewport={"width": width, "height": 780})
    return context.new_page()


def test_a_resident_chats_by_tapping_and_typing(browser: Any, base_url: str) -> None:
    page = _page(browser)
    page.goto(base_url)
    log = page.locator("#log")
    log.get_by_text("Hei! Olen Mikkelin").wait_for()
    page.get_by_role("button", name="Kyllä, sopii").click()
    log.get_by_text("Mitä haluat tehdä?").wait_for()
    # Old buttons are gone once pressed; the choice shows as the resident's message.
    assert page.get_by_role("button", name="Kyllä, sopii").count() == 0
    assert log.locator(".msg.you").last.inner_text().endswith("Kyllä, sopii")
    page.get_by_label("Viestisi").fill("10")  # the tenth choice: Ohjeet
    page.keyboard.press("Enter")
    log.get_by_text("Voinko auttaa muussa?").wait_for()
    # The transcript survives a reload, and the session goes on where it was.
    page.reload()
    log.get_by_text("Voinko auttaa muussa?").wait_for()
    page.get_by_role("button", name="Takaisin valikkoon").click()
    # The menu answers after the eight messages kept from before the reload.
    expect(log.locator(".msg.bot").nth(7)).to_be_attached()
    expect(log.locator(".msg.bot").last).to_contain_text("Mitä haluat tehdä?")


def test_the_chat_can_be_used_with_the_keyboard_alone(browser: Any, base_url: str) -> None:
    page = _page(browser)
    page.goto(base_url)
    page.get_by_role("button", name="Kyllä, sopii").wait_for()
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Kyllä, sopii":
            break
    else:
        pytest.fail("the first choice button is not reachable with Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # focus is visible
    page.keyboard.press("Enter")
    page.locator("#log").get_by_text("Mitä haluat tehdä?").wait_for()


@pytest.mark.parametrize(
    ("locale", "greeting", "label"),
    [
        ("fi-FI", "Hei! Olen", "Viestisi"),
        ("sv-FI", "Hej! Jag är", "Ditt meddelande"),
        ("en-GB", "Hi! I am", "Your message"),
    ],
)
def test_the_page_and_the_bot_speak_the_browser_language_and_pass_axe(
    browser: Any, base_url: str, locale: str, greeting: str, label: str
) -> None:
    page = _page(browser, locale=locale)
    page.goto(base_url)
    page.locator("#log").get_by_text(greeting).wait_for()
    assert page.get_by_label(label).is_visible()
    assert page.locator("#log").get_attribute("role") == "log"
    assert page.locator("#log").get_attribute("aria-live") == "polite"
    assert serious_violations(page) == []


def test_the_page_reflows_at_320_px_without_sideways_scrolling(browser: Any, base_url: str) -> None:
    page = _page(browser, width=320)
    page.goto(base_url)
    page.get_by_role("button", name="Kyllä, sopii").wait_for()
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= 320
    assert serious_violations(page) == []


def test_a_server_error_is_told_kindly_and_the_message_can_be_sent_again(
    browser: Any, base_url: str
) -> None:
    page = _page(browser)
    page.goto(base_url)
    page.get_by_role("button", name="Kyllä, sopii").wait_for()
    page.route("**/webchat/messages", lambda route: route.abort())
    page.get_by_role("button", name="Kyllä, sopii").click()
    page.get_by_role("status").get_by_text("Lähetys ei onnistunut").wait_for(timeout=10_000)
    page.unroute("**/webchat/messages")
    page.get_by_role("button", name="Kyllä, sopii").click()  # the buttons are offered again
    page.locator("#log").get_by_text("Mitä haluat tehdä?").wait_for()
