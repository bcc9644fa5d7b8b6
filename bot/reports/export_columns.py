"""What a readable export calls each column, how wide it is and what its values are.

The machine form of an export uses the keys (``received_at``), as scripts read them; the
readable form the header, translated for the staff member who downloads ("Saapui").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from locales import CONTENT_LANGUAGES, N_, NATIVE_NAMES


class Shape(StrEnum):
    WORDS = "words"  # texts, codes shown as words, references
    MOMENT = "moment"  # a date and time, stored in UTC, shown in the city's time
    DAY = "day"  # a calendar day
    NUMBER = "number"


@dataclass(frozen=True)
class Column:
    header: str  # msgid
    width: int = 14  # in characters, as Excel measures a column
    shape: Shape = Shape.WORDS
    params: Mapping[str, str] | None = None  # for the header's placeholders


COLUMNS: Mapping[str, Column] = {
    "reference": Column(N_("Reference"), 14),
    "received_at": Column(N_("Received"), 17, Shape.MOMENT),
    "channel": Column(N_("Channel"), 12),
    "language": Column(N_("Language"), 10),
    "theme": Column(N_("Theme"), 20),
    "area": Column(N_("Area"), 18),
    "status": Column(N_("Status"), 14),
    "idea": Column(N_("Idea"), 60),
    "has_photo": Column(N_("Photo"), 8),
    "staff_answer": Column(N_("Answer from staff"), 40),
    "answered_at": Column(N_("Answered at"), 17, Shape.MOMENT),
    "pseudonym": Column(N_("Person (pseudonym)"), 12),
    "contact_name": Column(N_("Name"), 20),
    "contact_method": Column(N_("Contact method"), 14),
    "contact_value": Column(N_("Contact details"), 24),
    "poll_id": Column(N_("Poll number"), 8, Shape.NUMBER),
    "poll": Column(N_("Poll"), 30),
    "response_id": Column(N_("Response number"), 10, Shape.NUMBER),
    "day": Column(N_("Day"), 11, Shape.DAY),
    "age_band": Column(N_("Age"), 10),
    "question": Column(N_("Question"), 40),
    "answer": Column(N_("Answer"), 30),
    "votes": Column(N_("Votes"), 8, Shape.NUMBER),
    "respondents": Column(N_("Respondents"), 10, Shape.NUMBER),
    "id": Column(N_("Number"), 8, Shape.NUMBER),
    "source": Column(N_("Source"), 10),
    "source_id": Column(N_("Id at the source"), 16),
    "kind": Column(N_("Kind"), 14),
    **{
        f"name_{language}": Column(
            N_("Name ({language})"), 30, params={"language": NATIVE_NAMES[language]}
        )
        for language in CONTENT_LANGUAGES
    },
    "street": Column(N_("Street address"), 24),
    "postal_code": Column(N_("Postal code"), 10),
    "city": Column(N_("Town"), 12),
    "lat": Column(N_("Latitude"), 10, Shape.NUMBER),
    "lon": Column(N_("Longitude"), 10, Shape.NUMBER),
    "phone": Column(N_("Phone"), 16),
    "email": Column(N_("E-mail"), 24),
    "web": Column(N_("Website"), 28),
    "needs": Column(N_("Needs"), 36),
    "last_verified": Column(N_("Facts checked"), 11, Shape.DAY),
    "active": Column(N_("Shown to residents"), 10),
    "demo": Column(N_("Demo data"), 8),
    "name": Column(N_("Name"), 20),
    "method": Column(N_("Contact method"), 14),
    "contact": Column(N_("Contact details"), 24),
    "good_time": Column(N_("Good time to contact"), 20),
    "message": Column(N_("Message"), 40),
    "handled_at": Column(N_("Handled"), 17, Shape.MOMENT),
}
