"""The types flows are declared with: steps, options, texts to say and where each leads.

A flow is data: ``Flow(name, entry, steps)``. Each ``Step`` has texts said on entering, one
prompt carrying the options, and optionally a free-text handler. Targets are ``"flow.step"``
strings, checked when the registry is built, so a typo fails at start-up and in tests.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.engine import Connection

from dialogs.events import Event
from locales import Param
from storage.participants import ParticipantRow

StepRef = str
JSONData = dict[str, Any]


@dataclass(frozen=True)
class DialogConfig:
    """The settings flows may show or use."""

    privacy_url: str
    policy_version: str
    accessibility_url: str
    human_contact: str
    max_text_length: int = 2000


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


Action = Callable[[Turn], Goto | None]
TextHandler = Callable[[Turn, str], Goto]
SayFor = Say | Callable[[Turn], Say]


@dataclass(frozen=True)
class Option:
    """A choice. ``id`` is stable and short; ``run`` may act and redirect, else ``go`` follows."""

    id: str
    label: str  # msgid
    go: StepRef
    short: str | None = None  # msgid of a label of ≤ 20 characters, when ``label`` is longer
    run: Action | None = None


@dataclass(frozen=True)
class Step:
    id: str
    prompt: SayFor
    say: tuple[SayFor, ...] = ()
    options: tuple[Option, ...] = ()
    on_text: TextHandler | None = None
    leads_to: tuple[StepRef, ...] = ()  # targets that actions or on_text may choose

    def option(self, choice_id: str) -> Option | None:
        return next((o for o in self.options if o.id == choice_id), None)


@dataclass(frozen=True)
class Flow:
    name: str
    entry: str
    steps: tuple[Step, ...]

    def ref(self, step_id: str) -> StepRef:
        return f"{self.name}.{step_id}"
