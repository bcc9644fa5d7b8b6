"""What staff see of a photo sent on Messenger before the fetch job has brought it in."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.testclient import TestClient

from bot.services import Services
from bot.staff.access import Role
from tests.bot.test_meta_photos import _idea_with_photo


def test_staff_are_told_a_messenger_photo_is_on_its_way(
    signed_in: Callable[[Role], TestClient], services: Services
) -> None:
    _idea_with_photo(services, "2400000000000008", "messenger:https://scontent.xx.fbcdn.net/a.jpg")
    page = signed_in(Role.MODERATOR).get("/staff/ideas/1").text
    assert "Kuva on tulossa Messengeristä tai Instagramista." in page
    assert "/staff/ideas/1/photo" not in page  # no broken image
    assert "fbcdn" not in page  # the link itself is not shown
