"""Render a ``Goto`` into replies in the participant's language: texts first, then the prompt."""

from __future__ import annotations

from dialogs.definitions import DialogConfig, Goto, Option, Say, SayFor, Turn
from dialogs.registry import FlowRegistry
from dialogs.replies import Link, Reply, ReplyChoice
from locales import Translator


def render(
    *, goto: Goto, registry: FlowRegistry, translator: Translator, turn: Turn
) -> list[Reply]:
    step = registry.step(goto.step)
    says = list(goto.say)
    if goto.enter:
        says.extend(_resolve(s, turn) for s in step.say)
    replies = [_message(say, translator, turn.config) for say in says]
    prompt = _message(_resolve(step.prompt, turn), translator, turn.config)
    choices = tuple(_choice(option, translator) for option in step.options)
    replies.append(Reply(text=prompt.text, choices=choices, links=prompt.links))
    return replies


def _resolve(say: SayFor, turn: Turn) -> Say:
    return say if isinstance(say, Say) else say(turn)


def _message(say: Say, translator: Translator, config: DialogConfig) -> Reply:
    links: tuple[Link, ...] = ()
    if say.link is not None:
        links = (Link(url=say.link.url(config), label=translator.gettext(say.link.label)),)
    return Reply(text=translator.text(say.msgid, say.params), links=links)


def _choice(option: Option, translator: Translator) -> ReplyChoice:
    label = translator.gettext(option.label)
    short = translator.gettext(option.short) if option.short else label
    return ReplyChoice(id=option.id, label=label, short_label=short)
