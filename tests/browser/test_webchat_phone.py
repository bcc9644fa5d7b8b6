"""The web chat page on a 360 × 640 phone and a desktop: it fits, it follows the language
the person chooses, and "delete my data" leaves nothing on the device."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from bot.app import create_app
from bot.demo import load_demo_data
from bot.services import Services
from tests.browser.conftest import serious_violations
from tests.support.live_server import live_server

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 640}
DESKTOP = {"width": 1280, "height": 800}

# Elements whose content is wider than their box, or boxes wider than the page: nothing a
# person could see cut off or only reach by scrolling sideways.
OVERFLOWING = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  document.querySelectorAll('#log .msg, #log button, #log .place, .top, .bottom, .composer')
    .forEach((element) => {
      const box = element.getBoundingClientRect();
      if (box.right > width + 1 || element.scrollWidth > element.clientWidth + 1) {
        wide.push(element.className + ': ' + element.textContent.slice(0, 40));
      }
    });
  if (document.documentElement.scrollWidth > width) wide.push('page scrolls sideways');
  return wide;
}"""


@pytest.fixture
def demo_url(services: Services) -> Iterator[str]:
    load_demo_data(services.database, only_if_empty=True)
    with live_server(create_app(services.settings, services=services)) as url:
        yield url


def _page(browser: Any, viewport: dict[str, int], locale: str = "fi-FI") -> Any:
    return browser.new_context(locale=locale, viewport=viewport).new_page()


def _consented(page: Any, url: str) -> None:
    page.goto(url)
    page.get_by_role("button", name="Kyllä, sopii").click()
    page.locator("#log").get_by_text("Mitä haluat tehdä?").wait_for()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_chat_fits_the_screen_with_place_cards_and_long_words(
    browser: Any, demo_url: str, viewport: dict[str, int]
) -> None:
    page = _page(browser, viewport)
    _consented(page, demo_url)
    # The header gives the log the screen once the chat has begun.
    assert not page.locator(".lead").is_visible()
    page.get_by_label("Viestisi").fill("onko kirjasto auki sunnuntaina")
    page.keyboard.press("Enter")
    page.locator("#log .place").first.wait_for()
    # Place cards come above the buttons that open them.
    cards = page.locator("#log .places").last.bounding_box()
    buttons = page.locator("#log .choices").last.bounding_box()
    assert cards["y"] + cards["height"] <= buttons["y"] + 1
    # The longest Finnish label: its words wrap between words, none inside one.
    page.get_by_role("button", name="Takaisin valikkoon").click()
    page.get_by_role("button", name="Pyydä yhteydenottoa").wait_for()
    assert page.evaluate(OVERFLOWING) == []
    # Only the newest buttons are there to press.
    assert page.locator("#log .choices").count() == 1
    # A short message's bubble is as wide as its text, not the whole log.
    short = page.locator("#log .msg.you").last.bounding_box()
    log = page.locator("#log").bounding_box()
    assert short["width"] < log["width"] * 0.6
    assert serious_violations(page) == []


def test_choosing_swedish_in_the_chat_turns_the_whole_page_swedish_and_it_stays(
    browser: Any, demo_url: str
) -> None:
    page = _page(browser, PHONE)
    _consented(page, demo_url)
    page.get_by_role("button", name="Kieli").click()
    page.get_by_role("button", name="Svenska").click()
    page.locator("#log").get_by_text("Vad vill du göra?").wait_for()
    expect(page.locator("html")).to_have_attribute("lang", "sv")

    def swedish() -> None:
        assert page.get_by_label("Ditt meddelande").is_visible()
        assert page.get_by_role("button", name="Skicka").is_visible()
        assert page.get_by_role("link", name="Dataskyddsbeskrivning").is_visible()
        assert page.locator("#chat").get_attribute("data-you") == "Du"

    swedish()
    page.reload()
    page.locator("#log").get_by_text("Vad vill du göra?").wait_for()
    swedish()
    # The earlier buttons are still the latest, and work in the new language.
    page.get_by_role("button", name="Hjälp").click()
    page.locator("#log").get_by_text("Kan jag hjälpa dig med något annat?").wait_for()
    assert serious_violations(page) == []


def test_deleting_my_data_leaves_nothing_on_the_device(browser: Any, demo_url: str) -> None:
    page = _page(browser, PHONE)
    _consented(page, demo_url)
    page.get_by_label("Viestisi").fill("Nimeni on Maija Mehiläinen")
    page.keyboard.press("Enter")
    page.locator("#log").get_by_text("Anteeksi").wait_for()
    page.get_by_label("Viestisi").fill("poista tietoni")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Kyllä, poista kaikki").click()
    page.locator("#log").get_by_text("Keskustelu poistettiin myös tältä laitteelta.").wait_for()
    assert "Maija" not in page.locator("#log").inner_text()
    stored = page.evaluate("JSON.stringify(Object.assign({}, window.localStorage))")
    assert "Maija" not in stored and "osallistu.session" not in stored
    # The next person opening the page sees a new conversation, not the last one's.
    page.reload()
    page.locator("#log").get_by_text("Hei! Olen Mikkelin").wait_for()
    assert "Maija" not in page.locator("#log").inner_text()


def test_the_page_has_a_favicon(demo_url: str) -> None:
    page = httpx.get(demo_url + "/")
    assert 'rel="icon"' in page.text
    icon = httpx.get(demo_url + "/webchat/static/favicon.svg")
    assert icon.status_code == 200 and icon.text.startswith("<svg")


def test_a_text_over_the_limit_is_answered_not_cut(browser: Any, demo_url: str) -> None:
    page = _page(browser, PHONE)
    _consented(page, demo_url)
    page.get_by_label("Viestisi").fill("a" * 2500)
    page.keyboard.press("Enter")
    page.locator("#log").get_by_text("Viestisi on liian pitkä").wait_for()


def test_the_persons_choice_comes_before_the_host_pages_language(
    browser: Any, demo_url: str
) -> None:
    page = _page(browser, PHONE, locale="en-GB")
    page.goto(demo_url + "/?lang=sv&embed=1")  # as the launcher opens it on a Swedish page
    page.get_by_role("button", name="Ja, det går bra").click()
    page.locator("#log").get_by_text("Vad vill du göra?").wait_for()
    page.get_by_label("Ditt meddelande").fill("kieli")
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Suomi").click()
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    page.goto(demo_url + "/?lang=sv&embed=1")  # the host page is still Swedish
    expect(page.locator("html")).to_have_attribute("lang", "fi")
    assert page.get_by_label("Viestisi").is_visible()
    assert page.locator("body.embedded").count() == 1
