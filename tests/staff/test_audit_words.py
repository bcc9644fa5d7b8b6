"""The audit trail says in words what staff did, never a stored code."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from bot.services import Services
from bot.staff.audit_words import ACTION_LABELS
from storage.staff_tables import AuditAction, Role
from tests.staff.conftest import csrf_of
from tests.support.data import leave_idea
from tests.support.talk import Talk


def test_every_action_has_words() -> None:
    assert set(ACTION_LABELS) == set(AuditAction)


def test_the_trail_reads_as_sentences(
    signed_in: Callable[[Role], TestClient], services: Services
) -> None:
    leave_idea(Talk(services.engine), "Kirjastoon pelikerho nuorille keskiviikkoisin.")
    moderator = signed_in(Role.MODERATOR)
    assert moderator.get("/staff/ideas/1").status_code == 200
    changed = moderator.post(
        "/staff/ideas/1/status", data={"csrf": csrf_of(moderator), "status": "in_review"}
    )
    assert changed.status_code in (200, 303)
    page = signed_in(Role.ADMIN).get("/staff/accounts").text
    assert "Avasi idean, idea 1" in page
    assert "Muutti idean tilaa: Käsittelyssä, idea 1" in page
    assert "Kirjautui sisään" in page
    assert "view_idea" not in page and "idea_status" not in page and "idea:1" not in page
