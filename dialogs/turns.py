"""Decide where one event takes the conversation: the engine's decision step."""

from __future__ import annotations

from dataclasses import replace

from dialogs import commands, common
from dialogs.definitions import Goto, Option, Say, Step, StepRef, Turn
from dialogs.events import (
    Pressed,
    SharedImage,
    SharedLocation,
    Started,
    TextInput,
    ThreadReturned,
    Unsupported,
)
from dialogs.matching import match_choice
from dialogs.registry import FlowRegistry
from dialogs.understanding import vocabulary
from locales import Translators


def decide(
    *,
    registry: FlowRegistry,
    translators: Translators,
    current: StepRef | None,
    turn: Turn,
    is_new: bool,
) -> Goto:
    """Return the next step for ``turn.event`` given the current step (None for a new person)."""
    event_input = turn.event.input
    if current is None or current not in registry:
        if not is_new:
            return Goto(registry.menu)
        # A newcomer is welcomed first; a link they came by leads on after it.
        if isinstance(event_input, Started) and event_input.payload:
            target = registry.deep_link(event_input.payload)
            if target is not None:
                return Goto(registry.welcome, data={commands.AFTER_WELCOME: target})
        return Goto(registry.welcome)
    step = registry.step(current)
    reprompt = Goto(current, enter=False)

    match event_input:
        case ThreadReturned():
            return Goto(commands.HUMAN_RETURNED)
        case Started() if step.elsewhere is not None:
            return Goto(step.elsewhere)
        case Started(payload=payload):
            target = registry.deep_link(payload) if payload else None
            return Goto(target) if target else Goto(registry.menu, say=(common.WELCOME_BACK,))
        case Pressed(choice_id=choice_id):
            option = next((o for o in step.options_for(turn) if o.id == choice_id), None)
            if option is not None:
                return option.follow(turn)
            if step.elsewhere is not None:
                return Goto(step.elsewhere)
            if choice_id in commands.GLOBAL_CHOICES:
                return Goto(commands.GLOBAL_CHOICES[choice_id])
            prefixed = commands.prefixed_target(choice_id)
            if prefixed is not None:
                return Goto(prefixed, data={**turn.data, commands.PRESSED: choice_id})
            return _with_say(reprompt, common.STALE_BUTTON)
        case TextInput(text=text):
            return _typed(text, step, current, registry, translators, turn)
        case SharedLocation() if step.on_location is not None:
            return step.on_location(turn, event_input)
        case SharedImage() if step.on_image is not None:
            return step.on_image(turn, event_input)
        case SharedLocation() | SharedImage() | Unsupported():
            return _with_say(reprompt, step.unsupported or common.UNSUPPORTED)
    return _with_say(reprompt, common.NOT_UNDERSTOOD)


def _typed(
    text: str,
    step: Step,
    current: StepRef,
    registry: FlowRegistry,
    translators: Translators,
    turn: Turn,
) -> Goto:
    """One rule for what typed words mean. At a step where what is typed is the answer (a
    message to a person of the team) only its own global words act, and a yes or a no to
    its yes-or-no question. Elsewhere: start and global words, a greeting (not where a
    text is asked for: "Hei" may be a name), the step's choices (a number, a label in any
    language, a yes or a no), the step's own text, then topics and free questions."""
    reprompt = Goto(current, enter=False)
    if not text.strip():
        return _with_say(reprompt, common.EMPTY)
    if len(text) > turn.config.max_text_length:
        return _with_say(reprompt, common.too_long(turn.config.max_text_length))
    options = step.options_for(turn)
    if step.typed_commands is not None:
        target = commands.global_target(text)
        if target is not None and target in step.typed_commands:
            return Goto(target)
        answered = _answered(text, options)
        if answered is not None:
            return answered.follow(turn)
        if step.on_text is not None:
            return step.on_text(turn, text)
    if commands.is_start(text):
        return Goto(registry.menu, say=(common.WELCOME_BACK,))
    target = commands.global_target(text)
    if target is not None:
        return Goto(target)
    if step.on_text is None and vocabulary().is_greeting(text):
        return Goto(registry.menu, say=(common.GREETING,))
    # Labels in every language: a Swedish speaker may type "Hjälp" while the bot speaks Finnish.
    labels = [_labels(option, translators) for option in options]
    index = match_choice(text, labels)
    if index is not None:
        return options[index].follow(turn)
    answered = _answered(text, options)
    if answered is not None:
        return answered.follow(turn)
    if step.on_text is not None:
        return step.on_text(turn, text)
    understood = registry.understand(turn, text) if registry.understand else None
    if understood is not None:
        return understood
    if options:
        return _with_say(reprompt, common.NOT_UNDERSTOOD)
    return _with_say(reprompt, common.TYPE_OR_TAP)


def _answered(text: str, options: tuple[Option, ...]) -> Option | None:
    """The choice a typed yes or no makes at a yes-or-no question."""
    answer = vocabulary().answer(text)
    if answer is None:
        return None
    return next((option for option in options if option.means == answer), None)


def _labels(option: Option, translators: Translators) -> list[str]:
    if not isinstance(option.label, str):
        return [text for text in option.label.values() if text]
    msgids = [option.label] + ([option.short] if option.short else [])
    return [translator.gettext(msgid) for translator in translators for msgid in msgids]


def _with_say(goto: Goto, say: Say) -> Goto:
    return replace(goto, say=(say, *goto.say))
