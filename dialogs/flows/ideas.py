"""Ideas ("Kerro ideasi"): theme → area → the idea in the resident's words → optional photo →
optionally may we contact you → summary to confirm or edit → a reference number.
"My ideas" lists the resident's ideas with their status and any answer from staff."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from dialogs.commands import CONSENT_GATE, MENU
from dialogs.common import BACK_TO_MENU
from dialogs.definitions import Flow, Goto, Option, Say, Step, Turn
from dialogs.events import SharedImage
from dialogs.flows import idea_guard, ideas_texts, reach
from dialogs.understanding import Answer
from locales import N_
from storage import ideas


class StepId(StrEnum):
    THEME = "theme"
    AREA = "area"
    TEXT = "text"
    PHOTO = "photo"
    CONTACT = "contact"
    NAME = "name"
    HOW = "how"
    VALUE = "value"
    SUMMARY = "summary"
    DONE = "done"
    MINE = "mine"


def ref(step: StepId) -> str:
    return f"ideas.{step}"


MIN_TEXT, MAX_TEXT = 10, 2000
_draft = ideas_texts.draft_of


def _with_draft(
    turn: Turn, step: StepId, *, say: tuple[Say, ...] = (), resume: bool = True, **changes: Any
) -> Goto:
    """Move on with the draft updated; after an edit, go back to the summary (``resume``)."""
    draft = {**_draft(turn), **changes}
    editing = draft.get("editing") and resume
    target = ref(StepId.SUMMARY) if editing and step != StepId.SUMMARY else ref(step)
    return Goto(target, say=say, data={**turn.data, "idea": draft})


def _themes(turn: Turn) -> tuple[Option, ...]:
    return tuple(
        Option(
            id=f"theme.{t.code}",
            label=t.names,
            go=ref(StepId.AREA),
            run=_chose("theme", t.code, StepId.AREA, resume=False),
        )
        for t in ideas.themes(connection=turn.connection)
    )


def _areas(turn: Turn) -> tuple[Option, ...]:
    return tuple(
        Option(
            id=f"area.{a.code}",
            label=a.names,
            go=ref(StepId.TEXT),
            run=_chose("area", a.code, StepId.TEXT),
        )
        for a in ideas.areas(connection=turn.connection)
    )


def _chose(key: str, code: str, then: StepId, *, resume: bool = True) -> Any:
    """A theme is always followed by its area; other answers return to an open summary."""

    def run(turn: Turn) -> Goto:
        changes: dict[str, Any] = {key: code}
        return _with_draft(turn, then, resume=resume, **changes)

    return run


def _text(turn: Turn, text: str) -> Goto:
    idea = text.strip()
    if len(idea) < MIN_TEXT:
        say = Say(
            N_("That is quite short. Please tell a little more, at least {min} characters."),
            {"min": MIN_TEXT},
        )
        return Goto(ref(StepId.TEXT), say=(say,), enter=False)
    return _with_draft(turn, StepId.PHOTO, text=idea[:MAX_TEXT])


def _photo(turn: Turn, image: SharedImage) -> Goto:
    return _with_draft(
        turn, StepId.CONTACT, say=(Say(N_("Thank you, I got the photo.")),), photo=image.ref
    )


def _name(turn: Turn, text: str) -> Goto:
    checked = reach.name_value(text)
    if isinstance(checked, Say):
        return Goto(ref(StepId.NAME), say=(checked,), enter=False)
    return _with_draft(turn, StepId.HOW, contact_name=checked)


def _known_name(turn: Turn) -> tuple[Option, ...]:
    return reach.known_name(turn, go=ref(StepId.HOW), take=_name)


def _method(method: str) -> Any:
    def run(turn: Turn) -> Goto:
        if method == "chat":
            return _with_draft(
                turn, StepId.SUMMARY, contact_method="chat", contact_value=None, editing=False
            )
        return Goto(
            ref(StepId.VALUE),
            data={**turn.data, "idea": {**_draft(turn), "contact_method": method}},
        )

    return run


def _value_prompt(turn: Turn) -> Say:
    return reach.reach_prompt(_draft(turn).get("contact_method"))


def _value(turn: Turn, text: str) -> Goto:
    checked = reach.reach_value(_draft(turn).get("contact_method"), text)
    if isinstance(checked, Say):
        return Goto(ref(StepId.VALUE), say=(checked,), enter=False)
    return _with_draft(turn, StepId.SUMMARY, contact_value=checked, editing=False)


def _no_contact(turn: Turn) -> Goto:
    return _with_draft(
        turn, StepId.SUMMARY, contact_name=None, contact_method=None, contact_value=None
    )


def _edit(step: StepId) -> Any:
    def run(turn: Turn) -> Goto:
        draft = {**_draft(turn), "editing": True}
        return Goto(ref(step), data={**turn.data, "idea": draft})

    return run


def _send(turn: Turn) -> Goto:
    draft = _draft(turn)
    if not all(draft.get(k) for k in ("theme", "area", "text")):
        return Goto(
            ref(StepId.THEME), say=(Say(N_("Something was missing. Let us start again.")),), data={}
        )
    reference = ideas.create_idea(
        connection=turn.connection,
        participant_id=turn.participant.id,
        draft=ideas.IdeaDraft(
            theme_code=draft["theme"],
            area_code=draft["area"],
            text=draft["text"],
            photo_ref=draft.get("photo"),
            contact_name=draft.get("contact_name"),
            contact_method=draft.get("contact_method"),
            contact_value=draft.get("contact_value"),
        ),
        channel=turn.event.channel,
        language=turn.language,
        now=turn.now,
    )
    data = {k: v for k, v in turn.data.items() if k != "idea"}
    return Goto(ref(StepId.DONE), data={**data, "last_reference": reference})


def _cancel(turn: Turn) -> Goto:
    data = {k: v for k, v in turn.data.items() if k != "idea"}
    return Goto(MENU, say=(Say(N_("All right. Your idea was not saved.")),), data=data)


BACK = BACK_TO_MENU

FLOW = Flow(
    name="ideas",
    entry=StepId.THEME,
    steps=(
        Step(
            id=StepId.THEME,
            prompt=Say(N_("What is your idea about?")),
            options_from=_themes,
            options=(BACK,),
            guard=idea_guard.consent_and_daily_limit,
            leads_to=(ref(StepId.AREA), ref(StepId.SUMMARY), CONSENT_GATE),
        ),
        Step(
            id=StepId.AREA,
            prompt=Say(N_("Which area of Mikkeli is it about?")),
            options_from=_areas,
            options=(BACK,),
            leads_to=(ref(StepId.TEXT), ref(StepId.SUMMARY)),
        ),
        Step(
            id=StepId.TEXT,
            prompt=Say(N_("Write your idea in your own words.")),
            options=(BACK,),
            on_text=_text,
            leads_to=(ref(StepId.PHOTO), ref(StepId.SUMMARY)),
        ),
        Step(
            id=StepId.PHOTO,
            prompt=Say(N_("Would you like to add a photo? Send it now, or choose “No photo”.")),
            on_image=_photo,
            options=(Option(id="idea.nophoto", label=N_("No photo"), go=ref(StepId.CONTACT)),),
            leads_to=(ref(StepId.CONTACT), ref(StepId.SUMMARY)),
        ),
        Step(
            id=StepId.CONTACT,
            prompt=Say(N_("May we contact you about this idea?")),
            options=(
                Option(
                    id="idea.contact.yes", label=N_("Yes"), go=ref(StepId.NAME), means=Answer.YES
                ),
                Option(
                    id="idea.contact.no",
                    label=N_("No"),
                    go=ref(StepId.SUMMARY),
                    run=_no_contact,
                    means=Answer.NO,
                ),
            ),
        ),
        Step(
            id=StepId.NAME,
            prompt=Say(N_("What name or nickname may we use?")),
            options_from=_known_name,
            options=(BACK,),
            on_text=_name,
            leads_to=(ref(StepId.HOW), ref(StepId.SUMMARY)),
        ),
        Step(
            id=StepId.HOW,
            prompt=Say(N_("How should we contact you?")),
            options=reach.reach_options(
                chat_next=ref(StepId.SUMMARY),
                value_step=ref(StepId.VALUE),
                choose={way: _method(way) for way in reach.METHODS},
            ),
        ),
        Step(
            id=StepId.VALUE,
            prompt=_value_prompt,
            options=(BACK,),
            on_text=_value,
            leads_to=(ref(StepId.SUMMARY),),
        ),
        Step(
            id=StepId.SUMMARY,
            says_from=ideas_texts.summary,
            prompt=Say(N_("Shall I send it?")),
            options=(
                Option(id="idea.send", label=N_("Send"), go=ref(StepId.DONE), run=_send),
                Option(
                    id="idea.edit.text",
                    label=N_("Edit the text"),
                    go=ref(StepId.TEXT),
                    run=_edit(StepId.TEXT),
                ),
                Option(
                    id="idea.edit.theme",
                    label=N_("Change theme or area"),
                    short=N_("Theme or area"),
                    go=ref(StepId.THEME),
                    run=_edit(StepId.THEME),
                ),
                Option(id="idea.cancel", label=N_("Cancel"), go=MENU, run=_cancel),
            ),
            leads_to=(ref(StepId.THEME),),
        ),
        Step(
            id=StepId.DONE,
            says_from=ideas_texts.done,
            prompt=Say(N_("What would you like to do next?")),
            options=(
                Option(id="myideas", label=N_("My ideas"), go=ref(StepId.MINE)),
                BACK,
            ),
        ),
        Step(
            id=StepId.MINE,
            says_from=ideas_texts.mine,
            prompt=Say(N_("What would you like to do next?")),
            options=(
                Option(id="ideas", label=N_("Share an idea"), go=ref(StepId.THEME)),
                BACK,
            ),
        ),
    ),
)
