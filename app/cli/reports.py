"""`flask reports rebuild [--since DAY] [--until DAY] | refresh`: the daily rollups from the shell."""

from __future__ import annotations

import sys
import time
from datetime import datetime

import click
from flask.cli import AppGroup

from app.core.china_time import to_beijing
from app.core.models import utcnow
from app.reports import rollups
from app.reports.sources import Window, earliest_day

reports_cli = AppGroup("reports", help="The dashboard's and reports' daily rollups.")

DAY = click.DateTime(formats=["%Y-%m-%d"])


@reports_cli.command("rebuild")
@click.option("--since", type=DAY, default=None, help="First Beijing day (YYYY-MM-DD); default the shop's first.")
@click.option("--until", type=DAY, default=None, help="Last Beijing day, inclusive (YYYY-MM-DD); default today.")
def rebuild_command(since: datetime | None, until: datetime | None) -> None:
    """Recompute the daily rollups of every day in the range from the orders, shoppers, agents
    and commission ledger, a week of days per transaction (safe while the shop runs, and to repeat)."""
    last = until.date() if until else to_beijing(utcnow()).date()
    first = since.date() if since else (earliest_day() or last)
    if first > last:
        raise click.BadParameter("--since is after --until", param_hint="--since")
    started = time.perf_counter()
    length = len(Window(first, last).days())
    if sys.stderr.isatty():
        with click.progressbar(length=length, label="rebuilding", file=sys.stderr) as bar:
            done = rollups.rebuild(first, last, bar.update)
    else:
        done = rollups.rebuild(first, last)
    click.echo(f"rebuilt {done} day(s), {first} to {last}, in {time.perf_counter() - started:.1f} s")


@reports_cli.command("refresh")
def refresh_command() -> None:
    """Recompute the days changes have marked since the last refresh (what the scheduled job does)."""
    click.echo(f"refreshed {rollups.refresh_dirty_days()} day(s)")
