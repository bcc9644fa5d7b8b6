"""How news subscriptions are named: in the news flow and under "My data"."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from locales import N_, LocalText, Translator
from storage.news_tables import Topic
from storage.subscriptions import SubscriptionRow

TOPIC_LABELS: Mapping[Topic, str] = {
    Topic.POLLS: N_("New youth polls"),
    Topic.EVENTS: N_("Events"),
    Topic.NEWS: N_("News from the project"),
}


def subscription_line(
    t: Translator, row: SubscriptionRow, area_names: Mapping[str, LocalText]
) -> str:
    """One subscription as the resident reads it: what, where, since when."""
    what = t.gettext(TOPIC_LABELS[row.topic])
    if row.topic is Topic.EVENTS:
        where = area_name(t, row.area_code, area_names)
        what = t.text(N_("{topic} in {area}"), {"topic": what, "area": where})
    return t.text(N_("{topic} (since {date})"), {"topic": what, "date": t.day(row.agreed_at)})


def area_name(t: Translator, code: str | None, area_names: Mapping[str, LocalText]) -> str:
    """The area of events chosen; None (or an area since retired) is the whole town."""
    if code is not None and code in area_names:
        return t.label(area_names[code])
    return t.gettext(N_("all of Mikkeli"))


def subscription_lines(
    t: Translator, rows: Iterable[SubscriptionRow], area_names: Mapping[str, LocalText]
) -> str:
    return "\n".join(subscription_line(t, row, area_names) for row in rows)
