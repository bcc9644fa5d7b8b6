"""A conversation driver that talks to the engine like a person: ``talk.send("hei")``,
``talk.press("Ohjeet")``. Each call is one event through the real engine and database."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime

from dialogs.engine import ConversationEngine, Handled
from dialogs.events import (
    Channel,
    Event,
    Pressed,
    SharedImage,
    SharedLocation,
    Started,
    TextInput,
    UserInput,
)
from dialogs.replies import Reply

_users = itertools.count(1)


class Talk:
    def __init__(
        self,
        engine: ConversationEngine,
        *,
        locale: str | None = "fi",
        channel: Channel = Channel.WEBCHAT,
        user_id: str | None = None,
    ) -> None:
        self.engine = engine
        self.locale = locale
        self.channel = channel
        self.user_id = user_id or f"person-{next(_users):04d}"
        self.replies: list[Reply] = []
        self.last_handled: Handled | None = None

    def _event(self, user_input: UserInput, event_id: str | None = None) -> Event:
        return Event(
            channel=self.channel,
            user_id=self.user_id,
            event_id=event_id or uuid.uuid4().hex,  # like a platform's id: no user id inside
            input=user_input,
            received_at=datetime.now(UTC),
            locale_hint=self.locale,
        )

    def _handle(self, user_input: UserInput, event_id: str | None = None) -> list[Reply]:
        self.last_handled = self.engine.handle(self._event(user_input, event_id))
        self.replies = self.last_handled.replies
        return self.replies

    def start(self) -> list[Reply]:
        return self._handle(Started())

    def send(self, text: str, *, event_id: str | None = None) -> list[Reply]:
        return self._handle(TextInput(text), event_id)

    def press(self, label: str) -> list[Reply]:
        """Press the button with this label (or id) on the last prompt; fail if there is none."""
        for choice in self.choices_of_last():
            if label in (choice.label, choice.id):
                return self._handle(Pressed(choice.id))
        offered = [c.label for c in self.choices_of_last()]
        raise AssertionError(f"no button {label!r}; the last prompt offers {offered}")

    def press_id(self, choice_id: str) -> list[Reply]:
        return self._handle(Pressed(choice_id))

    def share_image(self, ref: str) -> list[Reply]:
        return self._handle(SharedImage(ref))

    def share_location(self, lat: float, lon: float) -> list[Reply]:
        return self._handle(SharedLocation(lat, lon))

    def choices_of_last(self) -> list:  # type: ignore[type-arg]
        return list(self.replies[-1].choices) if self.replies else []

    @property
    def texts(self) -> list[str]:
        return [reply.text for reply in self.replies]

    @property
    def labels(self) -> list[str]:
        return [choice.label for choice in self.choices_of_last()]

    @property
    def prompt(self) -> str:
        return self.replies[-1].text

    def said(self, fragment: str) -> bool:
        return any(fragment in text for text in self.texts)
