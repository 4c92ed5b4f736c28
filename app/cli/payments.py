"""`flask payments reconcile`: catch up with WeChat on payments whose notification never came."""

from __future__ import annotations

from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup

from app.core.jobs import enqueue_now
from app.extensions import db
from app.payments.errors import PaymentError
from app.payments.jobs import reconcile_payment, sweep_stale_payments
from app.payments.services import stale_unpaid_payment_ids

payments_cli = AppGroup("payments", help="WeChat Pay payments.")


@payments_cli.command("reconcile")
@click.option("--older-than", "older_than", type=int, default=None,
              help="Minutes without a notification (default WECHAT_PAY_RECONCILE_MINUTES).")
@click.option("--enqueue", is_flag=True, help="Put the sweep on the money queue instead of running it here.")
def reconcile(older_than: int | None, enqueue: bool) -> None:
    """Query WeChat about every unpaid payment older than --older-than minutes (run it from cron)."""
    minutes = current_app.config["WECHAT_PAY_RECONCILE_MINUTES"] if older_than is None else older_than
    if enqueue:
        job = enqueue_now(sweep_stale_payments, minutes)
        click.echo(f"enqueued {job.id} on the money queue")
        return
    ids = stale_unpaid_payment_ids(timedelta(minutes=minutes))
    for payment_id in ids:
        try:
            status = reconcile_payment(payment_id)
            db.session.commit()
        except PaymentError as exc:
            db.session.rollback()
            status = f"error {exc.code}"
        click.echo(f"payment {payment_id}: {status}")
    click.echo(f"checked {len(ids)} unpaid payment(s) older than {minutes} minutes")
