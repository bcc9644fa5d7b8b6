"""Every flow of the bot, one per file; ``build_registry()`` puts them together."""

from __future__ import annotations

from dialogs.commands import (
    CONTACT,
    EVENT_FEEDBACK,
    EVENT_FROM_MESSAGE,
    EVENTS,
    HUMAN_RETURNED,
    MENU,
    NEWS,
    PLACES,
    POLLS,
)
from dialogs.flows import (
    answers,
    contact,
    events,
    human,
    ideas,
    language,
    menu,
    mydata,
    news,
    places,
    polls,
    privacy,
    welcome,
)
from dialogs.flows import help as help_flow
from dialogs.registry import FlowRegistry


def build_registry() -> FlowRegistry:
    """Return the registry of all flows, checked for dangling targets."""
    return FlowRegistry(
        (
            welcome.FLOW,
            menu.FLOW,
            ideas.FLOW,
            places.FLOW,
            polls.FLOW,
            contact.FLOW,
            events.FLOW,
            human.FLOW,
            news.FLOW,
            mydata.FLOW,
            language.FLOW,
            privacy.FLOW,
            help_flow.FLOW,
            answers.FLOW,
        ),
        menu=MENU,
        welcome=welcome.FLOW.ref(welcome.StepId.HELLO),
        # Start payloads from deep links (t.me/…?start=poll_12, m.me/…?ref=place_5).
        deep_links={
            "poll": POLLS,
            "place": PLACES,
            "contact": CONTACT,
            "idea": "ideas.theme",
            news.DEEP_LINK: NEWS,
            "events": EVENTS,
        },
        event_steps=(HUMAN_RETURNED, EVENT_FROM_MESSAGE, EVENT_FEEDBACK),
        understand=answers.understand,
        understood_leads_to=answers.LEADS_TO,
    )
