"""``osallistu events import FILE_OR_URL`` and the hourly sync from ``EVENTS_FEED_URL``:
Linked Events (followed page by page through ``meta.next``) or MikkeliNYT, upserted by
source id. Cancelled and postponed events stay, marked; bad entries are skipped and said."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
from sqlalchemy.engine import Engine

from bot import feed_linked_events, feed_mikkelinyt
from bot.event_feed_parts import FeedError
from storage import rate_limits
from storage.engine import transaction
from storage.events import EventRecord, upsert_event

logger = logging.getLogger(__name__)

MAX_PAGES = 100  # a feed that never ends is cut here: ten thousand events at 100 a page
TIMEOUT_SECONDS = 30
SYNC_CLAIM = rate_limits.Limit(limit=1, seconds=55 * 60)  # once an hour for all instances


@dataclass
class EventsReport:
    created: int = 0
    updated: int = 0
    problems: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [f"{self.created} events added, {self.updated} updated"]
        lines += [f"skipped: {problem}" for problem in self.problems]
        return "\n".join(lines)


def records_from(data: Any, *, audiences: Mapping[str, str]) -> tuple[list[EventRecord], list[str]]:
    if feed_linked_events.looks_like_linked_events(data):
        return feed_linked_events.linked_events_records(data, audiences=audiences)
    if feed_mikkelinyt.looks_like_mikkelinyt(data):
        return feed_mikkelinyt.mikkelinyt_records(data, audiences=audiences)
    raise FeedError("the data is neither Linked Events nor MikkeliNYT events")


def shown(address: str) -> str:
    """An address as logs and messages may show it: without its query, which can hold a key
    (MikkeliNYT's ``apiKey``)."""
    parts = urlsplit(address)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def read_pages(source: str, *, client: httpx.Client | None = None) -> list[Any]:
    """The parsed pages of a file or an address; a Linked Events address is followed to its
    last page."""
    if not source.startswith(("https://", "http://")):
        path = Path(source)
        try:
            return [json.loads(path.read_text(encoding="utf-8"))]
        except (OSError, UnicodeDecodeError) as error:
            raise FeedError(f"{path.name} cannot be read: {error}") from error
        except json.JSONDecodeError as error:
            raise FeedError(f"{path.name} is not valid JSON: {error}") from error
    own = client is None
    http = client or httpx.Client(timeout=TIMEOUT_SECONDS, follow_redirects=True)
    pages: list[Any] = []
    try:
        address: str | None = source
        while address is not None and len(pages) < MAX_PAGES:
            response = http.get(address, headers={"Accept": "application/json"})
            if response.status_code != 200:
                raise FeedError(f"{shown(address)} answered {response.status_code}")
            try:
                page = response.json()
            except ValueError as error:
                raise FeedError(f"{shown(address)} did not answer JSON") from error
            pages.append(page)
            address = (
                feed_linked_events.next_page(page)
                if feed_linked_events.looks_like_linked_events(page)
                else None
            )
    except httpx.HTTPError as error:
        raise FeedError(f"{shown(source)} cannot be reached: {type(error).__name__}") from error
    finally:
        if own:
            http.close()
    return pages


def import_events(
    database: Engine,
    source: str,
    *,
    audiences: Mapping[str, str],
    now: datetime | None = None,
    client: httpx.Client | None = None,
) -> EventsReport:
    """Read every page, then upsert everything in one transaction: a feed half-read leaves
    the events as they were."""
    report = EventsReport()
    records: list[EventRecord] = []
    for page in read_pages(source, client=client):
        found, problems = records_from(page, audiences=audiences)
        records += found
        report.problems += problems
    records.sort(key=lambda r: not r.is_series)  # every series before any occurrence
    moment = now or datetime.now(UTC)
    with transaction(database) as connection:
        for record in records:
            if upsert_event(connection=connection, record=record, now=moment):
                report.created += 1
            else:
                report.updated += 1
    return report


def sync_events(
    database: Engine,
    feed: str,
    *,
    audiences: Mapping[str, str],
    now: datetime | None = None,
    client: httpx.Client | None = None,
) -> EventsReport | None:
    """The hourly read of ``EVENTS_FEED_URL``, by one instance of the deployment an hour
    (a shared count claims the hour); None where another instance has it."""
    moment = now or datetime.now(UTC)
    with transaction(database) as connection:
        claimed = rate_limits.hit(
            connection=connection, key="job:events-feed", limit=SYNC_CLAIM, now=moment
        )
    if not claimed.allowed:
        return None
    try:
        report = import_events(database, feed, audiences=audiences, now=moment, client=client)
    except FeedError as error:
        logger.warning("events feed not read: %s", error)
        return None
    logger.info(
        "events feed: %d added, %d updated, %d skipped",
        report.created,
        report.updated,
        len(report.problems),
    )
    return report
