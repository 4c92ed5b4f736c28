"""`flask orders close-unpaid`: close pending orders whose payment time ran out (run from cron)."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from app.core.errors import DomainError
from app.core.jobs import enqueue_now
from app.extensions import db

orders_cli = AppGroup("orders", help="Orders.")


@orders_cli.command("close-unpaid")
@click.option("--enqueue", is_flag=True, help="Put the sweep on the default queue instead of running it here.")
def close_unpaid(enqueue: bool) -> None:
    """Close every pending order past its payment deadline and return its stock."""
    from app.orders.closing import close_overdue_order, overdue_order_ids, sweep_unpaid_orders

    if enqueue:
        job = enqueue_now(sweep_unpaid_orders)
        click.echo(f"enqueued {job.id} on the default queue")
        return
    ids = overdue_order_ids()
    for order_id in ids:
        try:
            outcome = close_overdue_order(order_id)
            db.session.commit()
        except DomainError as exc:
            db.session.rollback()
            outcome = f"error {exc.code}"
        click.echo(f"order {order_id}: {outcome}")
    click.echo(f"checked {len(ids)} overdue unpaid order(s)")
