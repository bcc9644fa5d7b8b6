"""Signing in: cookies, wrong passwords, throttling, time-outs and signing out."""

from __future__ import annotations

import sqlalchemy as sa
from fastapi.testclient import TestClient

from bot.services import Services
from storage.staff_tables import Role, audit_t, session_t
from tests.staff.conftest import PASSWORD, Clock, csrf_of, email_of, sign_in


def test_pages_send_a_visitor_to_sign_in_and_back(app_client: TestClient) -> None:
    response = app_client.get("/staff/ideas?status=new")
    assert response.status_code == 303
    assert response.headers["location"] == "/staff/login?next=/staff/ideas%3Fstatus%3Dnew"
    page = app_client.get(response.headers["location"])
    assert page.status_code == 200 and 'value="/staff/ideas?status=new"' in page.text
    signed = app_client.post(
        "/staff/login",
        data={
            "email": email_of(Role.MODERATOR),
            "password": PASSWORD,
            "next": "/staff/ideas?status=new",
        },
    )
    assert signed.headers["location"] == "/staff/ideas?status=new"
    assert app_client.get("/staff/ideas?status=new").status_code == 200


def test_the_session_cookie_is_host_only_secure_httponly_and_strict(app_client: TestClient) -> None:
    response = app_client.post(
        "/staff/login", data={"email": email_of(Role.VIEWER), "password": PASSWORD}
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
            data={"email": email_of(Role.VIEWER), "password": PASSWORD, "next": target},
        )
        assert response.headers["location"] == "/staff/"


def test_a_wrong_password_or_unknown_address_says_the_same(app_client: TestClient) -> None:
    app_client.headers["Accept-Language"] = "en"
    wrong = app_client.post("/staff/login", data={"email": email_of(Role.ADMIN), "password": "x"})
    unknown = app_client.post("/staff/login", data={"email": "nobody@example.org", "password": "x"})
    assert wrong.status_code == unknown.status_code == 401
    assert "The e-mail address or the password is wrong" in wrong.text
    assert wrong.text.count('role="alert"') == 1
    assert "set-cookie" not in wrong.headers


def test_five_failures_make_even_the_right_password_wait(
    app_client: TestClient, clock: Clock
) -> None:
    for _ in range(5):
        assert (
            app_client.post(
                "/staff/login", data={"email": email_of(Role.ADMIN), "password": "guess"}
            ).status_code
            == 401
        )
    right = app_client.post(
        "/staff/login", data={"email": email_of(Role.ADMIN), "password": PASSWORD}
    )
    assert right.status_code == 429 and "set-cookie" not in right.headers
    clock.advance(minutes=16)
    assert sign_in(app_client, Role.ADMIN).get("/staff/").status_code == 200


def test_failures_from_one_address_throttle_every_account(app_client: TestClient) -> None:
    for role in (Role.ADMIN, Role.MODERATOR, Role.OUTREACH, Role.VIEWER, Role.ADMIN):
        app_client.post("/staff/login", data={"email": email_of(role), "password": "guess"})
    right = app_client.post(
        "/staff/login", data={"email": email_of(Role.VIEWER), "password": PASSWORD}
    )
    assert right.status_code == 429


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
