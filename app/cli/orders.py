"""`flask orders close-unpaid`: close pending orders whose payment time ran out (run from cron);
`flask orders reindex-search`, `flask orders recount`: rebuild what is kept beside the orders
(the search index; the tab counters and the days' id windows) from the orders themselves."""

from __future__ import annotations

import sys

import click
from flask.cli import AppGroup
from sqlalchemy import func, select

from app.core.errors import DomainError
from app.core.jobs import enqueue_now
from app.extensions import db
from app.orders.models import Order
from app.orders.states import OrderStatus

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


@orders_cli.command("reindex-search")
@click.option("--batch", type=click.IntRange(100, 50_000), default=10_000, show_default=True,
              help="Orders read and written per transaction.")
def reindex_search(batch: int) -> None:
    """Rebuild the order search index from the orders, their shoppers' nicknames and their items'
    titles: emptied, then refilled in batches (flat memory; searches find only the orders done
    so far until it ends)."""
    from app.orders.search_index import reindex

    total = db.session.scalar(select(func.count()).select_from(Order)) or 0
    with click.progressbar(length=total, label="indexing", file=sys.stderr) as bar:
        done = reindex(batch, progress=bar.update)
    click.echo(f"indexed {done} order(s)")


@orders_cli.command("recount")
def recount() -> None:
    """Recount the order list's tab counters and widen the days' id windows from the orders."""
    from app.orders import day_windows, status_counts

    counts = status_counts.recount()
    db.session.commit()
    windows = day_windows.rebuild()
    db.session.commit()
    click.echo(", ".join(f"{status} {counts.get(status, 0)}" for status in OrderStatus))
    click.echo(f"{windows} day window(s)")
