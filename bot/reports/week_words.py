"""The week as staff read it: "Viikkoyhteenveto: viikko 47, 16.–22.11.2026", and whether the
summary holds the whole week or only the days so far."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_interval

from bot.reports.weeks import IsoWeek
from locales import N_, Translator


def week_days(week: IsoWeek, translator: Translator) -> str:
    """Monday to Sunday as the locale writes an interval: "23.–29.11.2026"."""
    return format_interval(week.monday, week.sunday, "yMd", locale=translator.babel_locale)


def week_name(week: IsoWeek, translator: Translator) -> str:
    """ "Viikko 48, 23.–29.11.2026" — how staff choose and find a week."""
    return translator.text(
        N_("Week {number}, {days}"),
        {"number": str(week.week), "days": week_days(week, translator)},
    )


def week_title(week: IsoWeek, translator: Translator) -> str:
    return translator.text(
        N_("Weekly summary: week {number}, {days}"),
        {"number": str(week.week), "days": week_days(week, translator)},
    )


def week_period(
    week: IsoWeek, timezone: ZoneInfo, translator: Translator, now: datetime | None
) -> str:
    """Made before the week is over (``now`` inside it), the summary says it is partial."""
    if now is not None and now < week.bounds(timezone)[1]:
        return translator.text(
            N_("So far: until {day} at {time}. The complete summary is made on Monday."),
            {"day": translator.day(now), "time": translator.time(now)},
        )
    return translator.text(N_("The whole week, Monday to Sunday."))
