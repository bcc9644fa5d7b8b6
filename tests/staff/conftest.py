"""Staff-area fixtures: an app with a controllable clock, accounts of every role, sign-in."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from bot.app import create_app
from bot.services import Services
from bot.staff.auth import hash_password
from storage import staff
from storage.engine import transaction
from storage.staff_tables import Role

PASSWORD = "correct horse battery staple"


def email_of(role: Role) -> str:
    return f"{role.value}@example.org"


@dataclass
class Clock:
    now: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture(scope="session")
def password_hash() -> str:
    return hash_password(PASSWORD)  # argon2 is slow on purpose: hash once for the session


def add_accounts(services: Services, password_hash: str) -> None:
    with transaction(services.database) as connection:
        for role in Role:
            staff.add_account(
                connection=connection,
                email=email_of(role),
                role=role,
                password_hash=password_hash,
                now=datetime.now(UTC),
            )


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app_client(services: Services, password_hash: str, clock: Clock) -> Iterator[TestClient]:
    add_accounts(services, password_hash)
    app = create_app(services.settings, services=services)
    app.state.staff_area.sessions.clock = clock
    # https: the session cookie is Secure (and __Host-) outside development mode. Without
    # the lifespan: the tests run the relay themselves, on their own event loop.
    yield TestClient(app, base_url="https://testserver", follow_redirects=False)


def login_form(client: TestClient, **fields: str) -> dict[str, str]:
    """The sign-in form's fields with its token, as the page gives it (the cookie stays in
    ``client``)."""
    import re

    page = client.get("/staff/login")
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found is not None, "the sign-in page has no form token"
    return {"csrf": found.group(1), **fields}


def sign_in(client: TestClient, role: Role) -> TestClient:
    response = client.post(
        "/staff/login",
        data=login_form(client, email=email_of(role), password=PASSWORD, next="/staff/"),
    )
    assert response.status_code == 303, response.text
    return client


def csrf_of(client: TestClient, page: str = "/staff/") -> str:
    import re

    html = client.get(page).text
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found is not None, "the page has no form token"
    return found.group(1)


@pytest.fixture
def signed_in(app_client: TestClient) -> Callable[[Role], TestClient]:
    return lambda role: sign_in(app_client, role)
