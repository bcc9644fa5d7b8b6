"""What's on ("Tapahtumat"), declared as data: the search (``event_search``) → one event
and its sign-up (``event_signup``), and the steps that buttons of earlier messages lead to.

Signing up asks for consent first (a sign-up is stored), then whether the organiser may
have a name or a phone number — only if the resident wants. A full event puts them on the
waiting list; a place freed by someone cancelling goes to the next in turn, who is told.
"""

from __future__ import annotations

from dialogs.commands import MENU
from dialogs.common import BACK_TO_MENU
from dialogs.definitions import Flow, Option, Say, Step
from dialogs.flows import event_notices
from dialogs.flows import event_search as search
from dialogs.flows import event_signup as signup
from dialogs.flows.event_feedback import answer_question
from dialogs.flows.event_search import SPANS, StepId, ref
from dialogs.flows.event_signup_texts import reminder_note
from dialogs.understanding import Answer
from locales import N_

WHEN_OPTIONS = tuple(
    Option(id=f"events.when.{code}", label=label, go=ref(StepId.WHERE), run=search.when(code))
    for code, label in SPANS.items()
)
MINE = Option(id="events.mine", label=N_("My sign-ups"), short=N_("Sign-ups"), go=ref(StepId.MINE))
AGAIN = Option(id="events.again", label=N_("Search again"), go=ref(StepId.WHEN))
TO_LIST = Option(
    id="events.list", label=N_("Back to the list"), short=N_("Back to list"), go=ref(StepId.RESULTS)
)

FLOW = Flow(
    name="events",
    entry=StepId.WHEN,
    steps=(
        Step(
            id=StepId.WHEN,
            say=(Say(N_("Here you find events at the meeting places and around Mikkeli.")),),
            prompt=Say(N_("When?")),
            options=(*WHEN_OPTIONS, MINE, BACK_TO_MENU),
        ),
        Step(
            id=StepId.WHERE,
            prompt=Say(N_("Where? Share your location, or choose an area.")),
            options_from=search.where_options,
            options=(BACK_TO_MENU,),
            on_location=search.near,
            request_location=True,
            leads_to=(ref(StepId.RESULTS), ref(StepId.WHERE)),
        ),
        Step(
            id=StepId.RESULTS,
            says_from=search.results,
            prompt=Say(N_("Choose an event to see more.")),
            options_from=search.result_options,
            options=(AGAIN, BACK_TO_MENU),
            on_location=search.near,
            leads_to=(ref(StepId.DETAIL),),
        ),
        Step(
            id=StepId.DETAIL,
            says_from=signup.detail,
            prompt=Say(N_("What would you like to do?")),
            options_from=signup.detail_options,
            options=(TO_LIST, BACK_TO_MENU),
            leads_to=(ref(StepId.SHARE), ref(StepId.CANCEL)),
        ),
        Step(
            id=StepId.SHARE,
            say=(reminder_note,),
            prompt=Say(
                N_(
                    "Would you like the organiser to have your name and phone number? "
                    "You do not have to give them."
                )
            ),
            guard=signup.share_guard,
            options=(
                Option(
                    id="events.share.no",
                    label=N_("No, just sign me up"),
                    short=N_("Just sign me up"),
                    go=ref(StepId.SIGNED),
                    run=lambda turn: signup.sign_up(turn),
                    means=Answer.NO,
                ),
                Option(
                    id="events.share.yes",
                    label=N_("Yes, I will give them"),
                    short=N_("Yes, I will"),
                    go=ref(StepId.NAME),
                    means=Answer.YES,
                ),
                BACK_TO_MENU,
            ),
            leads_to=(ref(StepId.DETAIL),),
        ),
        Step(
            id=StepId.NAME,
            prompt=Say(N_("Write your name.")),
            on_text=signup.take_name,
            options_from=signup.known_name,
            options=(BACK_TO_MENU,),
            leads_to=(ref(StepId.PHONE),),
        ),
        Step(
            id=StepId.PHONE,
            prompt=Say(N_("Write your phone number, or tap “Skip”.")),
            on_text=signup.take_phone,
            options=(
                Option(
                    id="events.phone.skip",
                    label=N_("Skip"),
                    go=ref(StepId.SIGNED),
                    run=lambda turn: signup.sign_up(turn, name=signup.shared_name(turn)),
                ),
                BACK_TO_MENU,
            ),
            leads_to=(ref(StepId.SIGNED), ref(StepId.DETAIL)),
        ),
        Step(
            id=StepId.SIGNED,
            prompt=Say(N_("What would you like to do next?")),
            options=(
                Option(
                    id="events.cancel",
                    label=event_notices.CANCEL_LABEL,
                    short=event_notices.CANCEL_SHORT,
                    go=ref(StepId.CANCEL),
                ),
                TO_LIST,
                BACK_TO_MENU,
            ),
        ),
        Step(
            id=StepId.CANCEL,
            prompt=Say(N_("Do you want to cancel your sign-up?")),
            says_from=lambda turn: signup.detail(turn)[:1],
            options=(
                Option(
                    id="events.cancel.yes",
                    label=N_("Yes, cancel it"),
                    go=ref(StepId.DETAIL),
                    run=signup.cancel,
                    means=Answer.YES,
                ),
                Option(
                    id="events.cancel.no",
                    label=N_("No, keep it"),
                    go=ref(StepId.DETAIL),
                    means=Answer.NO,
                ),
            ),
            leads_to=(ref(StepId.WHEN),),
        ),
        Step(
            id=StepId.MINE,
            says_from=signup.mine_says,
            prompt=Say(N_("Choose an event to see more.")),
            options_from=signup.mine_options,
            options=(AGAIN, BACK_TO_MENU),
            leads_to=(ref(StepId.DETAIL),),
        ),
        # Entered by buttons of earlier messages: they act and lead on at once.
        Step(
            id=StepId.OPEN,
            prompt=Say(N_("What would you like to do?")),
            guard=signup.opened_from_message,
            leads_to=(ref(StepId.CANCEL), ref(StepId.DETAIL), MENU),
        ),
        Step(
            id=StepId.FEEDBACK,
            prompt=Say(N_("What would you like to do?")),
            guard=answer_question,
            leads_to=(MENU,),
        ),
    ),
)
