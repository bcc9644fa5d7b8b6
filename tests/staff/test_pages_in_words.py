"""Every staff page, with two weeks of demo traffic, a conversation and a contact request in
it, reads in the staff member's language: no stored code ("instagram", "in_review", "phone"),
no snake_case, no ISO week code and no English sentence left untranslated on a Finnish or a
Swedish page."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient

from bot.demo import load_demo_data
from bot.reports.labels import (
    AGE_BAND_LABELS,
    CHANNEL_LABELS,
    CONTACT_METHOD_LABELS,
    CONTACT_STATUS_LABELS,
    IDEA_STATUS_LABELS,
    NEED_LABELS,
    PLACE_KIND_LABELS,
)
from bot.reports.summary_job import make_week
from bot.reports.weeks import IsoWeek
from bot.services import Services
from bot.staff.web import LANGUAGE_COOKIE
from locales import LOCALES_DIR
from storage.domain_tables import area_t, theme_t
from storage.staff_tables import AuditAction, Role
from tests.support.team import open_team_conversation

PAGES = {
    Role.ADMIN: [
        "/staff/",
        "/staff/ideas",
        "/staff/ideas/1",
        "/staff/polls",
        "/staff/polls/new",
        "/staff/polls/1",
        "/staff/announcements",
        "/staff/events",
        "/staff/events/new",
        "/staff/places",
        "/staff/places/1",
        "/staff/exports",
        "/staff/accounts",
    ],
    Role.OUTREACH: [
        "/staff/conversations",
        "/staff/conversations/1",
        "/staff/contacts",
        "/staff/service-hours",
        "/staff/saved-replies",
    ],
}


class _VisibleText(HTMLParser):
    """What a reader sees or hears: text, the attributes a screen reader or a tooltip reads
    out and what a text field holds; not scripts, styles, or the values a form only sends."""

    SPOKEN = ("title", "aria-label", "placeholder", "alt")

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1
        self.parts.extend(value for name, value in attrs if name in self.SPOKEN and value)
        fields = dict(attrs)
        if (
            tag == "input"
            and fields.get("type", "text") in ("text", "search")
            and fields.get("value")
        ):
            self.parts.append(fields["value"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(page: str) -> str:
    parser = _VisibleText()
    parser.feed(page)
    return " ".join(" ".join(parser.parts).split())


def _catalog(language: str) -> Catalog:
    with (LOCALES_DIR / language / "LC_MESSAGES" / "messages.po").open("rb") as file:
        return read_po(file, locale=language)


def words_of_the_language(language: str) -> set[str]:
    """Words the translations themselves use ("chat" is Finnish too: "kun chat on auki")."""
    return {
        word
        for message in _catalog(language)
        if isinstance(message.string, str)
        for word in re.findall(r"[\w-]+", message.string)
    }


def untranslated_sentences(language: str) -> list[str]:
    """English msgids whose translation differs: finding one on the page means it was not
    translated there."""
    catalog = _catalog(language)
    return [
        message.id
        for message in catalog
        if isinstance(message.id, str)
        and message.string
        and message.string != message.id
        and re.search(r"[A-Za-z]{3}", message.id)
        and not re.search(r"[{%]", message.id)
        and message.id.lower() != "demo"  # demo ideas are marked "(demo)" in every language
    ]


def stored_codes(services: Services) -> set[str]:
    tables: Iterable[Iterable[str]] = (
        CHANNEL_LABELS,
        IDEA_STATUS_LABELS,
        CONTACT_STATUS_LABELS,
        CONTACT_METHOD_LABELS,
        AGE_BAND_LABELS,
        NEED_LABELS,
        PLACE_KIND_LABELS,
        (action.value for action in AuditAction),
        (role.value for role in Role),
    )
    with services.database.connect() as connection:
        areas = connection.execute(sa.select(area_t.c.code)).scalars().all()
        themes = connection.execute(sa.select(theme_t.c.code)).scalars().all()
    return {str(code) for table in (*tables, areas, themes) for code in table}


@pytest.fixture
def busy(services: Services) -> Services:
    load_demo_data(services.database, only_if_empty=True, traffic_key=b"k" * 32)
    open_team_conversation(services, first="Hei, voinko kysyä kesätöistä?")
    week = IsoWeek.last_complete(datetime.now(UTC), ZoneInfo(services.settings.timezone))
    for made in (week, week.following()):  # last week's and the partial one
        make_week(
            database=services.database,
            translators=services.translators,
            settings=services.settings,
            week=made,
            formats=("xlsx", "html"),
        )
    return services


@pytest.mark.parametrize("language", ["fi", "sv"])
def test_every_staff_page_reads_in_the_staff_members_language(
    signed_in: Callable[[Role], TestClient], busy: Services, language: str
) -> None:
    codes = stored_codes(busy) - words_of_the_language(language)
    english = untranslated_sentences(language)
    found: list[str] = []
    for role, pages in PAGES.items():
        client = signed_in(role)
        client.cookies.set(LANGUAGE_COOKIE, language)
        for path in pages:
            response = client.get(path)
            assert response.status_code == 200, (path, response.text[:300])
            text = re.sub(r"\S+@\S+", "", visible_text(response.text))  # staff accounts' e-mail
            words = set(re.findall(r"[\w-]+", text))
            found += [f"{path}: code {code!r}" for code in sorted(codes & words)]
            found += [
                f"{path}: {word!r}" for word in sorted(words) if re.fullmatch(r"[a-z]+_\w+", word)
            ]
            found += [f"{path}: week code {w!r}" for w in re.findall(r"\b\d{4}-W\d{2}\b", text)]
            found += [
                f"{path}: English {sentence!r}"
                for sentence in english
                if re.search(rf"(?<!\w){re.escape(sentence)}(?!\w)", text)
            ]
    assert found == [], "\n".join(found)
