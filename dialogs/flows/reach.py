"""How we may reach a person (ideas and contact requests share it): this chat, phone or e-mail."""

from __future__ import annotations

from dialogs.definitions import Action, Option, Say, StepRef, TextHandler, Turn
from dialogs.flows.validation import clean_line, email, phone
from locales import N_, Translator
from locales.languages import same_in_every_language
from storage import contacts

MAX_NAME = 80
METHODS = {"chat": N_("here in this chat"), "phone": N_("by phone"), "email": N_("by e-mail")}


def reach_options(
    *, chat_next: StepRef, value_step: StepRef, choose: dict[str, Action]
) -> tuple[Option, ...]:
    """The three ways as buttons; ``choose`` holds each way's action."""
    return (
        Option(id="how.chat", label=N_("Here in this chat"), go=chat_next, run=choose["chat"]),
        Option(id="how.phone", label=N_("By phone"), go=value_step, run=choose["phone"]),
        Option(id="how.email", label=N_("By e-mail"), go=value_step, run=choose["email"]),
    )


def reach_prompt(method: object) -> Say:
    """Ask for the phone number or the e-mail address, by the way of contact chosen."""
    if method == "email":
        return Say(N_("Write your e-mail address."))
    return Say(N_("Write your phone number."))


def reach_value(method: object, text: str) -> str | Say:
    """The checked phone number or e-mail address, or what to say when it does not look right."""
    value = email(text) if method == "email" else phone(text)
    if value is not None:
        return value
    if method == "email":
        return Say(N_("That does not look like an e-mail address. Please check it."))
    return Say(N_("That does not look like a phone number. Please check it."))


def name_value(text: str) -> str | Say:
    """The name or nickname to use, or what to say when it is empty or too long."""
    name = clean_line(text, limit=MAX_NAME)
    if name is not None:
        return name
    return Say(
        N_("Please write a name or nickname of at most {max} characters."), {"max": MAX_NAME}
    )


def known_name(turn: Turn, *, go: StepRef, take: TextHandler) -> tuple[Option, ...]:
    """The name given before (a contact request, an idea) as a button, so it is not typed
    twice; ``take`` handles it as if typed. Nothing without consent: then nothing is kept."""
    if not turn.participant.has_consented:
        return ()
    name = contacts.known_name(connection=turn.connection, participant_id=turn.participant.id)
    if not name:
        return ()
    return (
        Option(
            id="name.known",
            label=same_in_every_language(name),
            go=go,
            run=lambda turn: take(turn, name),
        ),
    )


def request_lines(
    t: Translator,
    *,
    name: str,
    method: str,
    value: str | None,
    time: str | None,
    matter: str | None,
) -> list[str]:
    """What a contact request holds, a line each: as it will be sent, and under My data."""
    how = t.gettext(METHODS.get(method, method))
    lines = [
        t.text(N_("Name: {name}"), {"name": name}),
        t.text(N_("How: {how}"), {"how": f"{how}, {value}" if value else how}),
        t.text(N_("When: {time}"), {"time": time or t.gettext(N_("Any time"))}),
    ]
    if matter:
        lines.append(t.text(N_("Matter: {matter}"), {"matter": matter}))
    return lines
