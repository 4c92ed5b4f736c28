"""Money jobs that catch up with WeChat when a notification never came.

`sweep_stale_payments` is what the scheduler runs every few minutes (app/schedule.py, or
`flask payments reconcile` from cron); it only enqueues one job per row, and each of those
asks WeChat and is safe to run twice.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app
from sqlalchemy import select

from app.core.jobs import job
from app.core.models import utcnow
from app.extensions import db
from app.payments.models import Payment, Refund
from app.payments.refunds import submit_refund
from app.payments.services import query_payment, stale_unpaid_payment_ids
from app.payments.states import RefundStatus


@job("money")
def sweep_stale_payments(older_than_minutes: int | None = None) -> int:
    """Enqueue a query for every unpaid payment and a resubmission for every refund still
    pending after `older_than_minutes` (default WECHAT_PAY_RECONCILE_MINUTES); returns how
    many jobs it enqueued."""
    if older_than_minutes is None:
        older_than_minutes = current_app.config["WECHAT_PAY_RECONCILE_MINUTES"]
    older_than = timedelta(minutes=older_than_minutes)
    payment_ids = stale_unpaid_payment_ids(older_than)
    for payment_id in payment_ids:
        reconcile_payment.delay(payment_id)
    refund_ids = list(db.session.scalars(select(Refund.id).where(
        Refund.status == RefundStatus.PENDING, Refund.created_at <= utcnow() - older_than)))
    for refund_id in refund_ids:
        submit_refund.delay(refund_id)
    return len(payment_ids) + len(refund_ids)


@job("money")
def reconcile_payment(payment_id: int) -> str:
    """Ask WeChat about one payment and apply the answer; returns the payment's status."""
    payment = db.session.get(Payment, payment_id)
    if payment is None:
        return "missing"
    return query_payment(payment.out_trade_no).status
