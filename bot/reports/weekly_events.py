"""The weekly summary's section on events: how many were held, the sign-ups made in the
week, and at the week's events the places taken, the waiting lists and who came."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.reports.summary_model import Section, Table, published
from locales import N_
from storage import summary_queries

if TYPE_CHECKING:
    from bot.reports.weekly import _Builder


def events_section(week: _Builder) -> Section:
    now = summary_queries.event_week(connection=week.connection, start=week.start, end=week.end)
    before = summary_queries.event_week(
        connection=week.connection, start=week.previous_start, end=week.previous_end
    )
    # How many events were held is no one's personal data: shown as it is. Everything else
    # counts people, and follows the small-group rule.
    table = Table(
        title=week._(N_("Events and sign-ups")),
        headers=(week._(N_("Figure")), *week.weeks),
        rows=(
            (week._(N_("Events held")), now.held, before.held),
            (week._(N_("Sign-ups made")), published(now.signups), published(before.signups)),
            (
                week._(N_("Places taken at the week's events")),
                published(now.confirmed),
                published(before.confirmed),
            ),
            (
                week._(N_("On a waiting list at the week's events")),
                published(now.waiting),
                published(before.waiting),
            ),
            (
                week._(N_("Came, as marked by staff")),
                published(now.came),
                published(before.came),
            ),
        ),
    )
    return Section("events", week._(N_("Events")), (table,), key_rows=2)
