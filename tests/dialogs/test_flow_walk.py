"""Flows are data, so they can be walked: every target exists, every step is reachable from
the welcome, every step can get back to the menu, and every label fits every channel."""

from __future__ import annotations

from collections import deque

import pytest

from dialogs.common import BACK_TO_MENU
from dialogs.definitions import DialogConfig, Flow, Goto, Option, Say, Step
from dialogs.flows import build_registry
from dialogs.registry import FlowRegistry
from locales import Translators

REGISTRY = build_registry()


def _reachable(registry: FlowRegistry, *starts: str) -> set[str]:
    seen, queue = set(starts), deque(starts)
    while queue:
        for target in registry.targets(registry.step(queue.popleft())):
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return seen


def test_every_step_is_reachable_from_the_welcome_a_platform_event_or_typed_words() -> None:
    starts = (REGISTRY.welcome, *REGISTRY.event_steps, *REGISTRY.understood_leads_to)
    assert _reachable(REGISTRY, *starts) == set(REGISTRY.refs())


@pytest.mark.parametrize("ref", sorted(REGISTRY.refs()))
def test_every_step_can_get_back_to_the_menu(ref: str) -> None:
    assert REGISTRY.menu in _reachable(REGISTRY, ref)


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_every_button_label_fits_meta_quick_replies_or_has_a_short_form(language: str) -> None:
    translator = Translators()[language]
    too_long = []
    for ref in REGISTRY.refs():
        for option in REGISTRY.step(ref).options:
            short = translator.label(option.short or option.label)
            if len(short) > 20:
                too_long.append((ref, option.id, short))
    assert too_long == []


def test_choice_ids_are_short_and_unique_per_step() -> None:
    for ref in REGISTRY.refs():
        ids = [o.id for o in REGISTRY.step(ref).options]
        assert len(ids) == len(set(ids)), ref
        assert all(len(i.encode()) <= 64 for i in ids), ref


def test_a_registry_with_a_dangling_target_is_refused() -> None:
    broken = Flow(
        name="broken",
        entry="a",
        steps=(
            Step(id="a", prompt=Say("x"), options=(Option(id="o", label="x", go="nowhere.b"),)),
        ),
    )
    with pytest.raises(ValueError, match=r"unknown step nowhere\.b"):
        FlowRegistry((broken,), menu="broken.a", welcome="broken.a")


def test_dynamic_targets_must_be_declared_to_be_walked() -> None:
    def jump(_turn: object) -> Goto:
        return Goto("broken.z")

    broken = Flow(
        name="broken",
        entry="a",
        steps=(
            Step(
                id="a",
                prompt=Say("x"),
                options=(Option(id="o", label="x", go="broken.a", run=jump),),  # type: ignore[arg-type]
                leads_to=("broken.z",),
            ),
        ),
    )
    with pytest.raises(ValueError, match=r"unknown step broken\.z"):
        FlowRegistry((broken,), menu="broken.a", welcome="broken.a")


def test_dialog_config_is_what_flows_see_of_settings() -> None:
    config = DialogConfig(
        privacy_url="https://example.org/p",
        policy_version="1",
        accessibility_url="a",
        human_contact="c",
    )
    assert config.max_text_length == 2000


def test_every_way_back_to_the_menu_has_one_name() -> None:
    options = [option for ref in REGISTRY.refs() for option in REGISTRY.step(ref).options]
    back = [option for option in options if option.id == BACK_TO_MENU.id]
    assert len(back) > 10
    assert {(option.label, option.short, option.go) for option in back} == {
        (BACK_TO_MENU.label, None, REGISTRY.menu)
    }
    # … and no other button is called that.
    assert all(
        option.id == BACK_TO_MENU.id for option in options if option.label == BACK_TO_MENU.label
    )
