"""Every flow of the bot, one per file; ``build_registry()`` puts them together."""

from __future__ import annotations

from dialogs.commands import MENU
from dialogs.flows import help as help_flow
from dialogs.flows import language, menu, privacy, welcome
from dialogs.registry import FlowRegistry


def build_registry() -> FlowRegistry:
    """Return the registry of all flows, checked for dangling targets."""
    return FlowRegistry(
        (welcome.FLOW, menu.FLOW, language.FLOW, privacy.FLOW, help_flow.FLOW),
        menu=MENU,
        welcome=welcome.FLOW.ref(welcome.StepId.HELLO),
    )
