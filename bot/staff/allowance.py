"""What a resident's channel allows a staff member right now, said before they write."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from handlers.spec import ChannelSpec
from locales import N_, Param

ANY_TIME = N_("{channel}: you can write at any time.")
PAGE_FETCHES = N_("{channel}: the resident sees your message the next time the chat is open.")
IN_WINDOW_THEN_AGENT = N_(
    "{channel}: you can answer for {left} more; after that only as a human agent, for 7 days."
)
IN_WINDOW_THEN_WAIT = N_(
    "{channel}: you can answer for {left} more; after that your message waits until the "
    "resident writes again."
)
AS_AGENT = N_("{channel}: you can answer as a human agent for {left} more.")
WAITS = N_("{channel}: your message waits until the resident writes again.")


@dataclass(frozen=True)
class Allowance:
    msgid: str
    params: Mapping[str, Param] = field(default_factory=dict)
    sends_now: bool = True


def _left(duration: timedelta) -> str:
    minutes = max(1, int(duration.total_seconds() // 60))
    hours, minutes = divmod(minutes, 60)
    if hours >= 24:
        return f"{hours // 24} d {hours % 24} h"
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"


def allowance(
    spec: ChannelSpec, *, last_inbound_at: datetime | None, now: datetime, human_agent: bool
) -> Allowance:
    """From the channel's spec: any time, the page fetches it, or a window (Meta's rules)."""
    channel = {"channel": spec.label}
    rules = spec.rules
    if rules.window is None:
        return Allowance(PAGE_FETCHES if rules.synchronous else ANY_TIME, channel)
    if last_inbound_at is None:
        return Allowance(WAITS, channel, sends_now=False)
    age = now - last_inbound_at
    agent = human_agent and rules.human_window is not None
    if age < rules.window:
        then = IN_WINDOW_THEN_AGENT if agent else IN_WINDOW_THEN_WAIT
        return Allowance(then, {**channel, "left": _left(rules.window - age)})
    if agent and rules.human_window is not None and age < rules.human_window:
        return Allowance(AS_AGENT, {**channel, "left": _left(rules.human_window - age)})
    return Allowance(WAITS, channel, sends_now=False)
