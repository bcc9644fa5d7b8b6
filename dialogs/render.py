"""Render a ``Goto`` into replies in the participant's language: texts first, then the prompt."""

from __future__ import annotations

from dialogs.definitions import DialogConfig, Goto, Option, Say, SayFor, Turn
from dialogs.registry import FlowRegistry
from dialogs.replies import Link, Reply, ReplyChoice
from locales import N_, Translator

SHARE_LOCATION = N_("Share my location")


def render(*, goto: Goto, registry: FlowRegistry, turn: Turn) -> list[Reply]:
    """Render for ``turn``, which already carries the state and language after the move."""
    step = registry.step(goto.step)
    translator = turn.translator
    says = list(goto.say)
    if goto.enter:
        says.extend(_resolve(s, turn) for s in step.say)
        if step.says_from is not None:
            says.extend(step.says_from(turn))
    replies = [_message(say, translator, turn.config) for say in says]
    prompt = _message(_resolve(step.prompt, turn), translator, turn.config)
    choices = tuple(_choice(option, translator) for option in step.options_for(turn))
    replies.append(
        Reply(
            text=prompt.text,
            choices=choices,
            links=prompt.links,
            places=prompt.places,
            media=prompt.media,
            request_location=step.request_location,
            location_label=translator.gettext(SHARE_LOCATION) if step.request_location else None,
            request_image=step.on_image is not None,
        )
    )
    return replies


def _resolve(say: SayFor, turn: Turn) -> Say:
    return say if isinstance(say, Say) else say(turn)


def _message(say: Say, translator: Translator, config: DialogConfig) -> Reply:
    links: tuple[Link, ...] = ()
    if say.link is not None:
        links = (Link(url=say.link.url(config), label=translator.gettext(say.link.label)),)
    return Reply(
        text=translator.text(say.msgid, say.params),
        links=links,
        places=say.places,
        media=say.media,
    )


def _choice(option: Option, translator: Translator) -> ReplyChoice:
    label = translator.label(option.label)
    short = translator.gettext(option.short) if option.short else label
    return ReplyChoice(id=option.id, label=label, short_label=short)
