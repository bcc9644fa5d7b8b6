"""Outside service hours the resident hears when someone is back as a person would say it:
"today at 9.00", "tomorrow", or the day, never a bare timestamp."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from dialogs.flows.human import back_at
from locales import Translators

HELSINKI = ZoneInfo("Europe/Helsinki")
TUESDAY_SIX_AM = datetime(2026, 12, 1, 6, 20, tzinfo=HELSINKI)


@pytest.mark.parametrize(
    ("language", "opening", "expected"),
    [
        ("fi", datetime(2026, 12, 1, 9, 0), "Joku on taas paikalla tänään klo 9.00."),
        ("fi", datetime(2026, 12, 2, 9, 0), "Joku on taas paikalla huomenna klo 9.00."),
        ("fi", datetime(2026, 12, 7, 9, 30), "Joku on taas paikalla ma 7.12. klo 9.30."),
        ("sv", datetime(2026, 12, 1, 9, 0), "Någon är tillbaka i dag kl. 9.00."),
        ("sv", datetime(2026, 12, 7, 9, 0), "Någon är tillbaka mån 7.12. kl. 9.00."),
        ("en", datetime(2026, 12, 2, 9, 0), "Someone is back tomorrow at 09:00."),
    ],
)
def test_the_time_back_reads_like_speech(language: str, opening: datetime, expected: str) -> None:
    translator = Translators()[language]
    say = back_at(opening.replace(tzinfo=HELSINKI), TUESDAY_SIX_AM, translator)
    assert translator.text(say.msgid, say.params).endswith(expected)


def test_days_are_counted_on_helsinki_s_calendar_not_utc_s() -> None:
    # 00.30 on Wednesday in Helsinki is still Tuesday in UTC; 9.00 that Wednesday is "today".
    after_midnight = datetime(2026, 12, 1, 22, 30, tzinfo=UTC)
    translator = Translators()["fi"]
    say = back_at(datetime(2026, 12, 2, 7, 0, tzinfo=UTC), after_midnight, translator)
    assert "tänään klo 9.00" in translator.text(say.msgid, say.params)
