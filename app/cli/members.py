"""`flask members verify [--user ID] [--since DAY] [--until DAY]`: the wallets' books from the shell."""

from __future__ import annotations

from datetime import datetime

import click
from flask.cli import AppGroup

from app.cli import verifying
from app.members import verify

members_cli = AppGroup("members", help="Members' wallets: balance, points and growth and their ledgers.")


@members_cli.command("verify")
@click.option("--user", "user_id", type=int, default=None, help="Check one shopper's wallet and entries.")
@verifying.day_range("balance, points and growth entries")
def verify_command(user_id: int | None, since: datetime | None, until: datetime | None) -> None:
    """Recompute every wallet's balance, points and growth from its ledgers, and every entry's running
    figure from the entry before it; print each discrepancy, exit 1 if any. Walks the ledgers
    in batches (flat memory), with a progress bar on a terminal. With --since or --until only
    entries are checked: balances, points and growth are totals over all time."""
    scope = verify.Scope(user_id, *verifying.days(since, until))
    with verifying.progress_bar(verifying.drawn_on_a_terminal(lambda: verify.workload(scope))) as advance:
        found = verifying.echo_each(verify.problems(scope, advance))
    verifying.conclude(found)
