"""`flask distribution verify [--agent ID] [--since DAY] [--until DAY] | rebuild-rollups [--agent ID] |
release | transfers | upgrade | explain ORDER_ID`: the books from the shell."""

from __future__ import annotations

from datetime import datetime, timedelta

import click
from flask import current_app
from flask.cli import AppGroup

from app.cli import verifying
from app.core.jobs import enqueue_now
from app.core.money import fen_to_yuan
from app.distribution import levels, rollup_rebuild, settlement, team, transfer_sweep, verify
from app.distribution.explain import explain
from app.distribution.jobs import release_due_commissions, sweep_stuck_withdrawals
from app.extensions import db
from app.payments.errors import PaymentError

distribution_cli = AppGroup("distribution", help="Agents, commissions and their ledger.")


@distribution_cli.command("verify")
@click.option("--agent", "agent_id", type=int, default=None, help="Check one agent's account, lines and team.")
@verifying.day_range("lines")
def verify_command(agent_id: int | None, since: datetime | None, until: datetime | None) -> None:
    """Recompute every account, commission line and team counter; print each discrepancy.
    Walks the books in batches (flat memory), with a progress bar on a terminal. With --since
    or --until only lines are checked: balances and team sizes are totals over all time."""
    scope = verify.Scope(agent_id, *verifying.days(since, until))
    with verifying.progress_bar(verifying.drawn_on_a_terminal(lambda: verify.workload(scope))) as advance:
        found = verifying.echo_each(verify.problems(scope, advance))
    verifying.conclude(found)


@distribution_cli.command("rebuild-rollups")
@click.option("--agent", "agent_id", type=int, default=None, help="Rebuild one agent's rows only.")
def rebuild_rollups_command(agent_id: int | None) -> None:
    """Recompute what the agent centre reads beside the books: the per-agent day, week and
    month rollups (commission by status, invites) from the commission lines and binding
    events, and (for the whole shop) each binding's grand referrer (the level-2 team). Binds
    and the ledger keep them as they go; this is for a bulk-loaded shop or a repair, while
    nothing accrues or binds for the agents rebuilt."""
    written = rollup_rebuild.rebuild(agent_id)
    relinked = team.relink_all() if agent_id is None else 0
    db.session.commit()
    click.echo(f"wrote {written} rollup row(s), relinked {relinked} binding(s) to their grand referrer")


@distribution_cli.command("release")
@click.option("--enqueue", is_flag=True, help="Put the sweep on the money queue instead of running it here.")
def release_command(enqueue: bool) -> None:
    """Move frozen commission whose freeze days are over to available (run it from cron)."""
    if enqueue:
        job = enqueue_now(release_due_commissions)
        click.echo(f"enqueued {job.id} on the money queue")
        return
    released = 0
    while ids := settlement.due_line_ids(limit=200):
        released += sum(settlement.release_line(line_id) for line_id in ids)
        db.session.commit()
        if len(ids) < 200:
            break
    click.echo(f"released {released} commission line(s)")


@distribution_cli.command("transfers")
@click.option("--older-than", "older_than", type=int, default=None,
              help="Minutes since approval without a notification (default WECHAT_PAY_RECONCILE_MINUTES).")
@click.option("--enqueue", is_flag=True, help="Put the sweep on the money queue instead of running it here.")
def transfers_command(older_than: int | None, enqueue: bool) -> None:
    """Ask WeChat Pay about WeChat withdrawals whose transfer never notified us, and settle them."""
    minutes = current_app.config["WECHAT_PAY_RECONCILE_MINUTES"] if older_than is None else older_than
    if enqueue:
        job = enqueue_now(sweep_stuck_withdrawals, minutes)
        click.echo(f"enqueued {job.id} on the money queue")
        return
    ids = transfer_sweep.stuck_withdrawal_ids(timedelta(minutes=minutes))
    for withdrawal_id in ids:
        try:
            status = transfer_sweep.settle_stuck(withdrawal_id)
            db.session.commit()
        except PaymentError as exc:
            db.session.rollback()
            status = f"error {exc.code}"
        click.echo(f"withdrawal {withdrawal_id}: {status}")
    click.echo(f"checked {len(ids)} paying withdrawal(s) older than {minutes} minutes")


@distribution_cli.command("upgrade")
def upgrade_command() -> None:
    """Move every active agent up to the best agent level they qualify for (run it daily)."""
    after, upgraded = 0, 0
    while ids := levels.active_agent_ids(after):
        upgraded += sum(levels.consider_upgrade(user_id) is not None for user_id in ids)
        db.session.commit()
        after = ids[-1]
    click.echo(f"upgraded {upgraded} agent(s)")


@distribution_cli.command("explain")
@click.argument("order_id", type=int)
def explain_command(order_id: int) -> None:
    """Every item's commission by level: who, rule, base, rate, amount, status or reason."""
    for item in explain(order_id):
        click.echo(f"item {item['order_item_id']} {item['title']} x{item['quantity']} "
                   f"paid {fen_to_yuan(item['paid_fen'])}")
        if not item["lines"]:
            click.echo("  not accrued")
        for line in item["lines"]:
            who = f"  L{line['level']} user {line['beneficiary_user_id']}"
            if line["reason"]:
                click.echo(f"{who}: {line['reason']} ({line['reason_label']})")
                continue
            rate = (f"{line['rate_bp']}bp" if line["rate_bp"] is not None
                    else f"{fen_to_yuan(line['fixed_fen'])}/unit")
            click.echo(f"{who}: {line['rule']} base {fen_to_yuan(line['base_fen'])} x {rate} = "
                       f"{fen_to_yuan(line['amount_fen'])}, net {fen_to_yuan(line['net_fen'])}, {line['status']}")
