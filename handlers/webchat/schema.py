"""The JSON the web chat page sends, validated; anything else is a 422 with a plain reason."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from dialogs.events import (
    Pressed,
    SharedImage,
    SharedLocation,
    Started,
    TextInput,
    UserInput,
    clean_text,
)
from dialogs.matching import normalise
from storage.types import MAX_ROW_ID

_SAFE_ID = r"^[A-Za-z0-9_-]+$"
SESSION_PATTERN = _SAFE_ID
RowId = Annotated[int, Field(ge=1, le=MAX_ROW_ID)]  # an outbox row the page has shown
_CHOICE_ID = r"^[A-Za-z0-9_.:-]+$"


class Location(BaseModel):
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class WebchatMessage(BaseModel):
    """``{"session": …, "text"|"choice"|"location": …, "locale"?: …, "id"?: …}``."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    session: str = Field(min_length=8, max_length=128, pattern=_SAFE_ID)
    text: str | None = None
    choice: str | None = Field(default=None, min_length=1, max_length=64, pattern=_CHOICE_ID)
    location: Location | None = None
    image: str | None = Field(default=None, pattern=r"^[0-9a-f]{32}\.(jpg|png|gif|webp)$")
    locale: str | None = Field(default=None, max_length=35)
    id: str | None = Field(default=None, min_length=1, max_length=128, pattern=_SAFE_ID)

    @model_validator(mode="after")
    def _exactly_one_input(self) -> WebchatMessage:
        given = [v for v in (self.text, self.choice, self.location, self.image) if v is not None]
        if len(given) != 1:
            raise ValueError("send exactly one of text, choice, location or image")
        return self

    def user_input(self) -> UserInput:
        if self.choice is not None:
            return Pressed(self.choice)
        if self.location is not None:
            return SharedLocation(lat=self.location.lat, lon=self.location.lon)
        if self.image is not None:
            return SharedImage(self.image)
        text = clean_text(self.text or "")
        if normalise(text) == "/start":
            return Started()
        return TextInput(text)


class WebchatUpdatesRequest(BaseModel):
    """``{"session": …, "ack": [ids shown]}``: what waits for this page, e.g. a staff answer."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    session: str = Field(min_length=8, max_length=128, pattern=_SAFE_ID)
    ack: list[RowId] = Field(default_factory=list, max_length=100)
