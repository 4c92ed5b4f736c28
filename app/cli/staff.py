"""`flask staff create|set-password`: console accounts from the command line."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.accounts import staff as accounts
from app.extensions import db

staff_cli = AppGroup("staff", help="Console staff accounts.")


@staff_cli.command("create")
@click.argument("username")
@click.option("--role", default="owner", show_default=True)
def create(username: str, role: str) -> None:
    """Create a staff account and print its generated password once."""
    if accounts.find_staff(username):
        raise click.ClickException(f"{username} already exists")
    password = accounts.generate_password()
    accounts.create_staff(username, password, role=role)
    db.session.commit()
    click.echo(f"created {username} ({role}); password: {password}")


@staff_cli.command("set-password")
@click.argument("username")
def set_password(username: str) -> None:
    """Generate a new password for USERNAME and print it once."""
    password = accounts.generate_password()
    accounts.set_staff_password(username, password)
    db.session.commit()
    click.echo(f"new password for {username}: {password}")
