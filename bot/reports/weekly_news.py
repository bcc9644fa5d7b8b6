"""The weekly summary's section on news: announcements sent in the week, and subscribers by
topic and by where news goes to them (a chat channel or e-mail), at the end of the week."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from bot.reports.labels import CHANNEL_LABELS
from bot.reports.summary_model import Section, Table, published
from dialogs.flows.news_texts import TOPIC_LABELS
from locales import N_
from storage import announcement_reads, summary_queries
from storage.news_tables import BY_EMAIL

if TYPE_CHECKING:
    from datetime import datetime

    from bot.reports.weekly import _Builder

ROUTE_LABELS = {**CHANNEL_LABELS, BY_EMAIL: N_("E-mail")}


def news_section(week: _Builder) -> Section:
    sent_now, reached_now = _sent(week, week.start, week.end)
    sent_before, reached_before = _sent(week, week.previous_start, week.previous_end)
    # How many announcements staff sent is no one's personal data: shown as it is. How many
    # messages went out counts people, and follows the small-group rule.
    announcements = Table(
        title=week._(N_("Announcements")),
        headers=(week._(N_("Figure")), *week.weeks),
        rows=(
            (week._(N_("Announcements sent")), sent_now, sent_before),
            (
                week._(N_("Messages delivered")),
                published(reached_now),
                published(reached_before),
            ),
        ),
    )
    now = summary_queries.subscribers(connection=week.connection, at=week.end)
    before = summary_queries.subscribers(connection=week.connection, at=week.previous_end)
    topics = {topic.value: week._(label) for topic, label in TOPIC_LABELS.items()}
    routes = {
        code: week._(ROUTE_LABELS.get(code, code))
        for code in sorted({c.key[1] for c in now + before})
    }
    title = week._(N_("Subscribers by topic and how news reaches them"))
    corner = week._(N_("Topic"))
    this_week = week.crossed(title, now, topics, routes, corner)
    last_week = week.crossed(title, before, topics, routes, corner)
    compared, chart = week.compared_margins(
        week._(N_("Subscribers compared with last week")),
        week._(N_("All subscriptions")),
        topics,
        this_week,
        last_week,
    )
    chart = replace(chart, title=week._(N_("Subscribers by topic")))
    tables = (announcements, compared, this_week.table)
    return Section("news", week._(N_("News")), tables, chart, key_rows=2)


def _sent(week: _Builder, start: datetime, end: datetime) -> tuple[int, int]:
    """Announcements whose sending ended in the range that reached anyone, and the messages
    they delivered (counts kept past retention)."""
    ids = summary_queries.announcements_finished(connection=week.connection, start=start, end=end)
    reached = [
        announcement_reads.progress(connection=week.connection, announcement_id=i).sent for i in ids
    ]
    return sum(1 for n in reached if n > 0), sum(reached)
