"""Opening hours across Finnish public holidays, the DST change and hours past midnight."""

from __future__ import annotations

from datetime import datetime

import pytest

from dialogs.domain.hours import HELSINKI, InvalidHours, parse_hours

WEEKDAYS = {
    "weekly": [{"days": ["mo", "tu", "we", "th", "fr"], "opens": "10:00", "closes": "18:00"}]
}
NIGHT = {"weekly": [{"days": ["fr", "sa"], "opens": "20:00", "closes": "02:00"}]}


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=HELSINKI)


@pytest.mark.parametrize(
    ("moment", "open_now"),
    [
        ("2026-06-18T12:00", True),  # Thursday before Midsummer
        ("2026-06-19T12:00", False),  # Midsummer Eve (juhannusaatto), a Friday
        ("2026-12-24T12:00", False),  # Christmas Eve, a Thursday
        ("2026-12-25T12:00", False),  # Christmas Day
        ("2026-12-28T12:00", True),
        ("2026-12-06T12:00", False),  # Independence Day falls on a Sunday anyway
        ("2026-12-07T09:59", False),
        ("2026-12-07T10:00", True),
        ("2026-12-07T18:00", False),
    ],
)
def test_weekday_hours_close_on_public_holidays(moment: str, open_now: bool) -> None:
    assert parse_hours(WEEKDAYS).status(at(moment)).open_now is open_now


def test_after_a_holiday_the_next_opening_is_the_next_working_day() -> None:
    status = parse_hours(WEEKDAYS).status(at("2026-12-24T08:00"))
    assert status.next_opening == at("2026-12-28T10:00")


def test_a_place_may_say_it_is_open_on_holidays() -> None:
    hours = parse_hours({**WEEKDAYS, "open_on_public_holidays": True})
    assert hours.status(at("2026-12-24T12:00")).open_now


@pytest.mark.parametrize(
    ("moment", "open_now"),
    [
        ("2026-11-27T21:00", True),  # Friday evening
        ("2026-11-28T01:59", True),  # still Friday's night, on Saturday
        ("2026-11-28T02:00", False),
        ("2026-11-29T01:00", True),  # Saturday's night, on Sunday
        ("2026-11-30T01:00", False),  # Sunday has no night of its own
    ],
)
def test_hours_past_midnight_belong_to_the_day_they_start(moment: str, open_now: bool) -> None:
    assert parse_hours(NIGHT).status(at(moment)).open_now is open_now


def test_closing_time_is_given_across_midnight() -> None:
    assert parse_hours(NIGHT).status(at("2026-11-27T23:00")).closes_at == at("2026-11-28T02:00")


def test_wall_clock_hours_hold_across_the_dst_change() -> None:
    hours = parse_hours({"weekly": [{"days": ["su", "mo"], "opens": "10:00", "closes": "18:00"}]})
    # Summer time starts on Sunday 29 March 2026 at 03:00 → 04:00.
    assert hours.status(at("2026-03-29T10:30")).open_now
    assert hours.status(at("2026-03-29T09:30")).next_opening == at("2026-03-29T10:00")
    utc = at("2026-03-29T10:00").utcoffset()
    assert utc is not None and utc.total_seconds() == 3 * 3600  # EEST
    # Winter time returns on Sunday 25 October 2026.
    assert hours.status(at("2026-10-25T17:59")).open_now
    assert not hours.status(at("2026-10-25T18:00")).open_now


def test_exceptions_override_weekly_hours_and_holidays() -> None:
    hours = parse_hours(
        {
            **WEEKDAYS,
            "exceptions": [
                {"from": "2026-12-24", "to": "2026-12-24", "opens": "10:00", "closes": "12:00"},
                {"from": "2026-12-28", "to": "2026-12-31", "closed": True},
            ],
        }
    )
    assert hours.status(at("2026-12-24T11:00")).open_now
    assert not hours.status(at("2026-12-28T11:00")).open_now
    assert hours.status(at("2026-12-28T11:00")).next_opening == at(
        "2027-01-04T10:00"
    )  # 1.1. New Year


@pytest.mark.parametrize(
    "broken",
    [
        {"weekly": [{"days": ["xx"], "opens": "10:00", "closes": "12:00"}]},
        {"weekly": [{"days": ["mo"], "opens": "ten", "closes": "12:00"}]},
        {"exceptions": [{"from": "2026-12-31", "to": "2026-12-01", "closed": True}]},
    ],
)
def test_broken_hours_are_refused_with_a_reason(broken: dict) -> None:  # type: ignore[type-arg]
    with pytest.raises(InvalidHours):
        parse_hours(broken)
