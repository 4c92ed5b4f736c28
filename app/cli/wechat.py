"""`flask wechat menu publish|pull|show|load`: the official account's menu from a shell (the console's
menu editor at /admin/wechat/menu does the same, audited)."""

from __future__ import annotations

import json

import click
from flask.cli import AppGroup

from app.core.errors import DomainError
from app.extensions import db
from app.officialaccount import menus

wechat_cli = AppGroup("wechat", help="WeChat platform tasks.")
menu_cli = AppGroup("menu", help="The official account's custom menu.")
wechat_cli.add_command(menu_cli)


def _show(menu) -> None:
    click.echo(json.dumps({"button": menu.buttons}, ensure_ascii=False, indent=2))


def _fail(exc: DomainError) -> click.ClickException:
    db.session.rollback()
    details = "".join(f"\n  {field}: {message}" for field, message in exc.fields.items())
    errcode = getattr(exc, "errcode", None)
    return click.ClickException(f"{exc.message}{details}" + (f" (WeChat errcode {errcode})" if errcode else ""))


@menu_cli.command("show")
def show() -> None:
    """Print the stored menu as WeChat's JSON."""
    menu = menus.get_menu()
    db.session.commit()
    _show(menu)


@menu_cli.command("load")
@click.argument("path", type=click.File("r", encoding="utf-8"))
def load(path) -> None:
    """Store the menu in PATH ({"button": [...]}) after validating it; does not publish."""
    try:
        data = json.load(path)
    except json.JSONDecodeError as exc:
        raise click.ClickException(f"not JSON: {exc}") from exc
    try:
        menu = menus.save_menu(data.get("button") if isinstance(data, dict) else data)
    except DomainError as exc:
        raise _fail(exc) from exc
    db.session.commit()
    _show(menu)


@menu_cli.command("publish")
def publish() -> None:
    """Send the stored menu to WeChat and keep what WeChat reports back."""
    try:
        menu = menus.publish_menu()
    except DomainError as exc:
        raise _fail(exc) from exc
    db.session.commit()
    click.echo("published; WeChat now has:")
    _show(menu)


@menu_cli.command("pull")
def pull() -> None:
    """Replace the stored menu with the one WeChat has."""
    try:
        menu = menus.pull_menu()
    except DomainError as exc:
        raise _fail(exc) from exc
    db.session.commit()
    _show(menu)
