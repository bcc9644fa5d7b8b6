"""A newcomer's whole visit in the browser: an idea with a photo, the nearest open place by
shared location, the demo poll once, a contact request, my data and deleting it."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from bot.demo import load_demo_data
from bot.services import Services
from tests.browser.conftest import serious_violations
from tests.support import images

pytestmark = pytest.mark.browser
PNG = images.small_png()


@pytest.fixture
def demo(services: Services) -> Services:
    load_demo_data(services.database, only_if_empty=True)
    return services


def _wait(page: Any, text: str) -> None:
    page.locator("#log").get_by_text(text).last.wait_for()


def _press(page: Any, name: str) -> None:
    page.locator(".choices").last.get_by_role("button", name=name, exact=True).click()


def test_a_newcomer_uses_every_resident_flow(
    browser: Any, base_url: str, demo: Services, tmp_path: Path
) -> None:
    context = browser.new_context(
        locale="fi-FI",
        viewport={"width": 390, "height": 800},
        geolocation={"latitude": 61.6886, "longitude": 27.2723},
        permissions=["geolocation"],
    )
    page = context.new_page()
    page.goto(base_url)
    _press(page, "Kyllä, sopii")

    _press(page, "Kerro ideasi")
    _press(page, "Nuoret")
    _press(page, "Keskusta")
    page.get_by_label("Viestisi").fill("Lisää iltatoimintaa nuorille keskustaan.")
    page.keyboard.press("Enter")
    photo = tmp_path / "idea.png"
    photo.write_bytes(PNG)
    with page.expect_file_chooser() as chooser:
        _press(page, "Lisää kuva")
    chooser.value.set_files(str(photo))
    _wait(page, "Kiitos, sain kuvan.")
    _press(page, "Ei")
    _press(page, "Lähetä")
    _wait(page, "Sen viitenumero on ID-")
    assert re.search(r"ID-\d{4}-\d{4}", page.locator("#log").inner_text())

    page.get_by_label("Viestisi").fill("valikko")
    page.keyboard.press("Enter")
    _press(page, "Etsi paikka tai palvelu")
    _press(page, "Paikka, jossa voi olla")
    _press(page, "Jaa sijaintini")
    _wait(page, "Tässä ovat lähimmät paikat:")
    assert page.locator(".place").count() >= 1
    assert (
        page.locator(".place").first.get_by_text(re.compile("metrin päässä|km päässä")).count() == 1
    )
    assert serious_violations(page) == []  # with place cards and the location button

    page.get_by_label("Viestisi").fill("valikko")
    page.keyboard.press("Enter")
    _press(page, "Nuorten kysely")
    _press(page, "Mitä haluaisit tehdä vapaa-ajalla? (demo)")
    _press(page, "Kirjastossa")
    _press(page, "Tapahtumia")
    _press(page, "Liikuntaa")
    _press(page, "Valmis")  # two chosen, ticked; the question waits for "Done"
    _press(page, "16–17")
    _wait(page, "Kiitos vastauksistasi!")
    _press(page, "Muut kyselyt")
    _press(page, "Mitä haluaisit tehdä vapaa-ajalla? (demo)")
    _wait(page, "Olet jo vastannut tähän kyselyyn. Kiitos!")

    page.get_by_label("Viestisi").fill("yhteydenotto")
    page.keyboard.press("Enter")
    _press(page, "Kyllä, ottakaa yhteyttä")
    page.get_by_label("Viestisi").fill("Testaaja")
    page.keyboard.press("Enter")
    _press(page, "Tässä chatissa")
    _press(page, "Milloin vain")
    _press(page, "Ohita")
    _press(page, "Kyllä, lähetä")
    _wait(page, "Kiitos! Pyyntösi on lähetetty.")

    page.get_by_label("Viestisi").fill("omat tiedot")
    page.keyboard.press("Enter")
    _wait(page, "Kyselyt, joihin olet vastannut: 1.")
    _press(page, "Poista tietoni")
    _press(page, "Kyllä, poista kaikki")
    _wait(page, "Tietosi on poistettu.")
    context.close()
