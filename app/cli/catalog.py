"""`flask catalog apply-schedule`: write down due scheduled on/off shelf times (run from cron)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.extensions import db

catalog_cli = AppGroup("catalog", help="Products.")


@catalog_cli.command("apply-schedule")
def apply_schedule() -> None:
    """Products whose on-shelf time came lose it; those whose off-shelf time came go off shelf."""
    from app.catalog.visibility import apply_shelf_schedule

    result = apply_shelf_schedule()
    db.session.commit()
    click.echo(f"launched {result['launched']}, withdrawn {result['withdrawn']}")
