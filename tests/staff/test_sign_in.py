"""Signing in: cookies, wrong passwords, throttling, time-outs and signing out."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import sqlalchemy as sa
from fastapi.testclient import TestClient
from httpx import Response

from bot.services import Services
from storage.staff_tables import Role, audit_t, session_t
from tests.staff.conftest import (
    PASSWORD,
    Clock,
    add_accounts,
    csrf_of,
    email_of,
    login_form,
    sign_in,
)


def test_pages_send_a_visitor_to_sign_in_and_back(app_client: TestClient) -> None:
    response = app_client.get("/staff/ideas?status=new")
    assert response.status_code == 303
    assert response.headers["location"] == "/staff/login?next=/staff/ideas%3Fstatus%3Dnew"
    page = app_client.get(response.headers["location"])
    assert page.status_code == 200 and 'value="/staff/ideas?status=new"' in page.text
    signed = app_client.post(
        "/staff/login",
        data=login_form(
            app_client,
            email=email_of(Role.MODERATOR),
            password=PASSWORD,
            next="/staff/ideas?status=new",
        ),
    )
    assert signed.headers["location"] == "/staff/ideas?status=new"
    assert app_client.get("/staff/ideas?status=new").status_code == 200


def test_the_session_cookie_is_host_only_secure_httponly_and_strict(app_client: TestClient) -> None:
    response = app_client.post(
        "/staff/login", data=login_form(app_client, email=email_of(Role.VIEWER), password=PASSWORD)
    )
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("__Host-osallistu_staff=")
    for flag in ("HttpOnly", "Secure", "SameSite=strict", "Path=/"):
        assert flag.lower() in cookie.lower()
    assert "domain" not in cookie.lower()


def test_an_outside_address_is_never_the_place_to_go_after_sign_in(app_client: TestClient) -> None:
    for target in ("https://evil.example/", "//evil.example/", "/webchat/x"):
        response = app_client.post(
            "/staff/login",
            data=login_form(
                app_client, email=email_of(Role.VIEWER), password=PASSWORD, next=target
            ),
        )
        assert response.headers["location"] == "/staff/"


def test_a_wrong_password_or_unknown_address_says_the_same(app_client: TestClient) -> None:
    app_client.headers["Accept-Language"] = "en"
    wrong = app_client.post(
        "/staff/login", data=login_form(app_client, email=email_of(Role.ADMIN), password="x")
    )
    unknown = app_client.post(
        "/staff/login", data=login_form(app_client, email="nobody@example.org", password="x")
    )
    assert wrong.status_code == unknown.status_code == 401
    assert "The e-mail address or the password is wrong" in wrong.text
    assert wrong.text.count('role="alert"') == 1
    assert "osallistu_staff" not in wrong.headers.get("set-cookie", "")


def test_five_failures_make_even_the_right_password_wait(
    app_client: TestClient, clock: Clock
) -> None:
    for _ in range(5):
        assert (
            app_client.post(
                "/staff/login",
                data=login_form(app_client, email=email_of(Role.ADMIN), password="guess"),
            ).status_code
            == 401
        )
    right = app_client.post(
        "/staff/login", data=login_form(app_client, email=email_of(Role.ADMIN), password=PASSWORD)
    )
    assert right.status_code == 429
    assert "osallistu_staff" not in right.headers.get("set-cookie", "")
    clock.advance(minutes=16)
    assert sign_in(app_client, Role.ADMIN).get("/staff/").status_code == 200


def _client_at(app_client: TestClient, address: str) -> TestClient:
    """Another browser on the same app, from another address."""
    return TestClient(
        app_client.app,
        base_url="https://testserver",
        follow_redirects=False,
        client=(address, 40000),
    )


def _attempt(client: TestClient, role: Role, password: str) -> Response:
    return client.post(
        "/staff/login", data=login_form(client, email=email_of(role), password=password)
    )


def test_wrong_passwords_from_one_address_never_lock_out_the_person_elsewhere(
    app_client: TestClient,
) -> None:
    attacker, colleague = _client_at(app_client, "203.0.113.7"), _client_at(app_client, "10.1.2.3")
    assert [_attempt(attacker, Role.ADMIN, "guess").status_code for _ in range(5)] == [401] * 5
    assert _attempt(attacker, Role.ADMIN, PASSWORD).status_code == 429
    assert _attempt(colleague, Role.ADMIN, PASSWORD).status_code == 303


def test_a_throttled_sign_in_says_when_to_come_back(app_client: TestClient) -> None:
    for _ in range(5):
        _attempt(app_client, Role.ADMIN, "guess")
    refused = _attempt(app_client, Role.ADMIN, PASSWORD)
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 15 * 60
    assert "Odota 15 minuuttia" in refused.text


def test_an_account_guessed_from_everywhere_is_slowed_but_never_locked(
    app_client: TestClient, clock: Clock
) -> None:
    # 50 guesses from ten addresses (five each, the most one address may try): the ceiling.
    for n in range(10):
        guesser = _client_at(app_client, f"198.51.100.{n}")
        assert [_attempt(guesser, Role.ADMIN, "guess").status_code for _ in range(5)] == [401] * 5
    # Beyond it, one attempt per account every ten seconds, from wherever it comes.
    assert _attempt(_client_at(app_client, "198.51.100.99"), Role.ADMIN, "guess").status_code == 401
    colleague = _client_at(app_client, "10.1.2.3")
    slowed = _attempt(colleague, Role.ADMIN, PASSWORD)
    assert slowed.status_code == 429
    assert int(slowed.headers["retry-after"]) <= 10
    assert "Odota muutama sekunti" in slowed.text
    clock.advance(seconds=11)
    assert _attempt(colleague, Role.ADMIN, PASSWORD).status_code == 303


def test_forty_simultaneous_attempts_check_at_most_five_wrong_passwords(
    any_services: Services, password_hash: str
) -> None:
    from bot.staff.auth import SessionManager, Throttled, WrongCredentials, _verified

    add_accounts(any_services, password_hash)
    checked = []
    lock = threading.Lock()

    def counting(stored: str, given: str) -> bool:
        with lock:
            checked.append(given)
        return _verified(stored, given)

    sessions = SessionManager(
        database=any_services.database,
        idle=timedelta(minutes=30),
        absolute=timedelta(hours=12),
        max_failures=5,
        verify=counting,
    )
    start = threading.Barrier(40)

    def attempt(n: int) -> str:
        start.wait()
        password = PASSWORD if n == 39 else f"guess {n}"
        try:
            sessions.sign_in(email=email_of(Role.ADMIN), password=password, address="192.0.2.1")
        except Throttled:
            return "throttled"
        except WrongCredentials:
            return "wrong"
        return "signed in"

    with ThreadPoolExecutor(max_workers=40) as pool:
        outcomes = list(pool.map(attempt, range(40)))
    # The rule counts failures: a right password is taken back as no failure, so when the
    # owner's attempt lands among the first five, one more guess may be checked after it.
    guesses = [given for given in checked if given != PASSWORD]
    assert len(guesses) <= 5
    assert outcomes.count("wrong") == len(guesses)
    assert outcomes.count("throttled") == 40 - len(checked)
    assert ("signed in" in outcomes) == (PASSWORD in checked)


def test_the_sign_in_form_needs_its_own_token(app_client: TestClient) -> None:
    fields = {"email": email_of(Role.ADMIN), "password": PASSWORD}
    assert app_client.post("/staff/login", data=fields).status_code == 403
    forged = app_client.post("/staff/login", data={**fields, "csrf": "x" * 43})
    assert forged.status_code == 403
    assert "osallistu_staff" not in forged.headers.get("set-cookie", "")
    assert app_client.post("/staff/login", data=login_form(app_client, **fields)).status_code == 303


def test_a_session_ends_after_30_idle_minutes(app_client: TestClient, clock: Clock) -> None:
    sign_in(app_client, Role.VIEWER)
    clock.advance(minutes=29)
    assert app_client.get("/staff/").status_code == 200  # activity keeps it alive
    clock.advance(minutes=29)
    assert app_client.get("/staff/").status_code == 200
    clock.advance(minutes=31)
    assert app_client.get("/staff/").status_code == 303


def test_a_session_ends_after_12_hours_however_active(app_client: TestClient, clock: Clock) -> None:
    sign_in(app_client, Role.VIEWER)
    for _ in range(24):
        clock.advance(minutes=29)
        assert app_client.get("/staff/").status_code == 200
    clock.advance(minutes=29)
    assert app_client.get("/staff/").status_code == 303


def test_signing_out_ends_the_session_on_the_server(
    app_client: TestClient, services: Services
) -> None:
    sign_in(app_client, Role.MODERATOR)
    cookie = app_client.cookies.get("__Host-osallistu_staff")
    token = csrf_of(app_client)
    assert app_client.post("/staff/logout", data={"csrf": token}).status_code == 303
    with services.database.connect() as connection:
        assert (
            connection.execute(sa.select(sa.func.count()).select_from(session_t)).scalar_one() == 0
        )
        actions = list(
            connection.execute(sa.select(audit_t.c.action).order_by(audit_t.c.id)).scalars()
        )
    assert actions[0] == "sign_in" and actions[-1] == "sign_out"
    # The old cookie, replayed, opens nothing.
    app_client.cookies.set("__Host-osallistu_staff", cookie or "", domain="testserver")
    assert app_client.get("/staff/").status_code == 303


def test_a_deactivated_account_is_signed_out_at_once(signed_in, services: Services) -> None:  # type: ignore[no-untyped-def]
    from storage import staff
    from storage.engine import transaction

    client = signed_in(Role.MODERATOR)
    with transaction(services.database) as connection:
        account = staff.account_by_email(connection=connection, email=email_of(Role.MODERATOR))
        assert account is not None
        staff.set_account(connection=connection, account_id=account.id, active=False)
    assert client.get("/staff/ideas").status_code == 303
