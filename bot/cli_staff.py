"""``osallistu staff add EMAIL --role …``: create a staff account from the command line."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Annotated

import typer

from bot.cli_support import database_or_exit, settings_or_exit
from bot.staff.auth import hash_password
from storage import staff
from storage.engine import transaction
from storage.staff_tables import LEAST_ROLE, Role

staff_cli = typer.Typer(help="Staff accounts of the staff area.", no_args_is_help=True)
MIN_PASSWORD = 12


@staff_cli.command("add")
def add(
    email: Annotated[str, typer.Argument(help="The person's work e-mail address")],
    role: Annotated[Role, typer.Option(help="admin, moderator, outreach or viewer")] = LEAST_ROLE,
    ask_password: Annotated[
        bool, typer.Option("--ask-password", help="Type a password instead of generating one")
    ] = False,
    name: Annotated[
        str | None,
        typer.Option(help='How residents see their messages: "Terhi, Yhdessä osallistuen"'),
    ] = None,
) -> None:
    """Add a staff account; the password is generated and shown once, or asked."""
    settings = settings_or_exit()
    if "@" not in email:
        typer.echo("give an e-mail address, such as nuoriso@mikkeli.fi", err=True)
        raise typer.Exit(code=2)
    if ask_password:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
        if len(password) < MIN_PASSWORD:
            typer.echo(f"use at least {MIN_PASSWORD} characters", err=True)
            raise typer.Exit(code=2)
    else:
        password = secrets.token_urlsafe(12)
    engine = database_or_exit(settings.database_url)
    try:
        with transaction(engine) as connection:
            account = staff.add_account(
                connection=connection,
                email=email,
                role=role,
                password_hash=hash_password(password),
                now=datetime.now(UTC),
            )
            if name:
                staff.set_display_name(
                    connection=connection, account_id=account, name=" ".join(name.split())[:80]
                )
    except staff.EmailTaken:
        typer.echo(f"{email} has an account already", err=True)
        raise typer.Exit(code=1) from None
    finally:
        engine.dispose()
    typer.echo(f"added {email.strip().lower()} as {role}")
    if not ask_password:
        typer.echo(f"password (shown only now): {password}")
    typer.echo(f"sign in at http://{settings.host}:{settings.port}/staff/")
