"""The types flows are declared with: steps, options, texts to say and where each leads.

A flow is data: ``Flow(name, entry, steps)``. Each ``Step`` has texts said on entering, one
prompt carrying the options, and optionally a free-text handler. Targets are ``"flow.step"``
strings, checked when the registry is built, so a typo fails at start-up and in tests.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Connection

from dialogs.channels import ChannelRules
from dialogs.events import Event, SharedImage, SharedLocation
from dialogs.replies import Media, PlaceCard
from dialogs.understanding import Answer
from locales import LocalText, Param, Translator, Translators
from storage.participants import ParticipantRow

StepRef = str
JSONData = dict[str, Any]
# A label is a msgid (translated from the catalogs) or a text per language from data that
# staff maintain (a theme, an area, a poll option).
Label = str | LocalText


@dataclass(frozen=True)
class StaffNotice:
    """Where staff get short notices (a Telegram chat), in the staff's language."""

    channel: str
    chat_id: str
    translator: Translator


@dataclass(frozen=True)
class DialogConfig:
    """The settings flows may show or use."""

    privacy_url: str
    policy_version: str
    accessibility_url: str
    human_contact: str
    max_text_length: int = 2000
    ideas_per_day: int = 3
    ballot_key: bytes = b""  # keys poll ballots; the pseudonym key
    media_dir: Path | None = None  # where photos are stored
    staff_notice: StaffNotice | None = None
    contact_response_time: str = "2"  # working days, said in the contact confirmation
    # How long a handled contact request is kept (the retention setting), said before sending.
    contact_kept_days: int | None = None
    telegram_url: str | None = None  # the bot on Telegram (https://t.me/…), where news can go
    news_by_email: bool = False  # news can go by e-mail where the chat cannot deliver it
    public_url: str | None = None  # where the service is reached from outside (calendar links)
    event_reminder_hour: int = 10  # the day before an event, in the city's time
    # Words a notice to another person (one promoted from a waiting list) in their language.
    translators: Translators | None = None


@dataclass(frozen=True)
class LinkTo:
    label: str  # msgid
    url: Callable[[DialogConfig], str]


@dataclass(frozen=True)
class Say:
    """One message: a msgid with named placeholders and an optional link."""

    msgid: str
    params: Mapping[str, Param] = field(default_factory=dict)
    link: LinkTo | None = None
    places: tuple[PlaceCard, ...] = ()  # already in the person's language
    media: Media | None = None


@dataclass(frozen=True)
class Turn:
    """What an action sees of the event being handled; writes go through ``connection``."""

    connection: Connection
    participant: ParticipantRow
    language: str
    data: JSONData
    event: Event
    config: DialogConfig
    now: datetime
    translator: Translator
    rules: ChannelRules  # the facts of the channel the event came from


@dataclass(frozen=True)
class Goto:
    """Where the conversation goes next and what to say first.

    ``enter=False`` repeats only the prompt of the target (a re-prompt), not its opening texts.
    """

    step: StepRef
    say: tuple[Say, ...] = ()
    language: str | None = None
    data: JSONData | None = None
    enter: bool = True
    consented: bool | None = None  # the action gave (True) or withdrew (False) consent
    forget: bool = False  # the participant was erased: store no state for them
    quiet: bool = False  # say nothing at all (a message passed on to a person of the team)
    hand_over: bool = False  # pass the thread to the platform's own inbox, where it has one


Action = Callable[[Turn], Goto | None]
TextHandler = Callable[[Turn, str], Goto]
# Where typed words lead when nothing of the step matched; None: not understood.
Understander = Callable[[Turn, str], Goto | None]
LocationHandler = Callable[[Turn, SharedLocation], Goto]
ImageHandler = Callable[[Turn, SharedImage], Goto]
Guard = Callable[[Turn, Goto], Goto | None]
SayFor = Say | Callable[[Turn], Say]
SaysFor = Callable[[Turn], tuple[Say, ...]]


@dataclass(frozen=True)
class Option:
    """A choice. ``id`` is stable and short; ``run`` may act and redirect, else ``go`` follows."""

    id: str
    label: Label
    go: StepRef
    short: str | None = None  # msgid of a label of ≤ 20 characters, when ``label`` is longer
    run: Action | None = None
    # The choice a typed yes or no makes, where the question is one ("kyllä", "nej", "yeah").
    means: Answer | None = None

    def follow(self, turn: Turn) -> Goto:
        """Where choosing this leads: ``run`` acts and may redirect, else ``go``."""
        if self.run is not None:
            redirected = self.run(turn)
            if redirected is not None:
                return redirected
        return Goto(self.go)


@dataclass(frozen=True)
class Step:
    """One question. ``options_from`` adds choices from data (themes, places, polls);
    their targets, like those of actions and handlers, are declared in ``leads_to``."""

    id: str
    prompt: SayFor
    say: tuple[SayFor, ...] = ()
    says_from: SaysFor | None = None  # opening texts computed from data
    options: tuple[Option, ...] = ()
    options_from: Callable[[Turn], tuple[Option, ...]] | None = None
    on_text: TextHandler | None = None
    on_location: LocationHandler | None = None
    on_image: ImageHandler | None = None
    request_location: bool = False
    guard: Guard | None = None  # checked on entering: may send the person elsewhere first
    leads_to: tuple[StepRef, ...] = ()  # targets that actions, handlers or data options choose
    # A step where what is typed is the answer, whatever words it holds (a message to a
    # person of the team): only these global words still act, and numbers or labels typed
    # are no choice. None: every global word acts, and typed labels choose.
    typed_commands: frozenset[StepRef] | None = None
    # Where /start and buttons of earlier messages lead from here (None: as anywhere).
    elsewhere: StepRef | None = None
    # What to say of a sticker, a voice message or a location here (None: the bot's usual).
    unsupported: Say | None = None

    def options_for(self, turn: Turn) -> tuple[Option, ...]:
        if self.options_from is None:
            return self.options
        return self.options_from(turn) + self.options


@dataclass(frozen=True)
class Flow:
    name: str
    entry: str
    steps: tuple[Step, ...]

    def ref(self, step_id: str) -> StepRef:
        return f"{self.name}.{step_id}"
