"""``fairtree users``: create sign-ins for members and staff, revoke a sign-in's access."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.console import Console

from fairtree.cli.database import command_session
from fairtree.cli.main import app
from fairtree.errors import FairtreeError
from fairtree.services.access import users as users_service
from fairtree.store.models.accounts import STAFF_ROLES

users_app = typer.Typer(help="Sign-ins: create them, revoke their access.", no_args_is_help=True)
app.add_typer(users_app, name="users")


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))


@users_app.command("create")
def create(
    member: Annotated[str | None, typer.Option(help="Member id to create a sign-in for.")] = None,
    email: Annotated[str | None, typer.Option(help="Member's email (for password reset).")] = None,
    staff: Annotated[str | None, typer.Option(help="Staff email (the staff login).")] = None,
    role: Annotated[str, typer.Option(help="Staff role: owner, admin or support.")] = "admin",
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from stdin.")
    ] = False,
) -> None:
    """Create a sign-in: ``--member M`` for a member, or ``--staff EMAIL --role ROLE``."""
    console = Console()
    if (member is None) == (staff is None):
        console.print("[red]Give exactly one of --member or --staff.[/red]")
        raise typer.Exit(code=2)
    if staff is not None and role not in STAFF_ROLES:
        console.print(f"[red]--role must be one of {', '.join(STAFF_ROLES)}.[/red]")
        raise typer.Exit(code=2)
    password = _password(password_stdin)
    try:
        with command_session() as session:
            if member is not None:
                user = users_service.create_member_user(session, member, password, email)
            else:
                user = users_service.create_staff_user(session, staff or "", role, password)
            login, user_role = user.login, user.role
    except FairtreeError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(code=1) from None
    console.print(f"Created sign-in [bold]{login}[/bold] ({user_role}).")


@users_app.command("revoke")
def revoke(
    login: Annotated[str, typer.Argument(help="The sign-in whose sessions and tokens end.")],
    reason: Annotated[str, typer.Option(help="Why (kept in the audit log).")],
) -> None:
    """End every session and API token of a sign-in at once."""
    console = Console()
    try:
        with command_session() as session:
            users_service.revoke_access(session, login, reason)
    except FairtreeError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(code=1) from None
    console.print(f"Revoked every session and token of [bold]{login}[/bold].")
