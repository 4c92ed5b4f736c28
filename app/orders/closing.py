"""Ending an unpaid order: cancelled by the shopper (or merchant), or closed when its payment
time runs out. Either way its WeChat payment is closed first and its stock goes back.

If WeChat says the payment went through meanwhile, the order is left alone: the payment's
own subscriber marks it paid. Closing twice, or closing an order already paid, changes
nothing, so the timeout job is safe to run twice and to race a cancel.
"""

from __future__ import annotations

from enum import StrEnum

from flask_babel import gettext as _
from sqlalchemy import select

from app.catalog import stock
from app.core.errors import NotFound
from app.core.jobs import job
from app.core.locking import locked
from app.core.models import utcnow
from app.extensions import db
from app.orders import events, oplog
from app.orders.activity import sells_own_stock
from app.orders.models import Order
from app.orders.oplog import OrderActor
from app.orders.states import OrderStatus
from app.payments.services import close_payment
from app.payments.states import PaymentStatus

UNPAID_TIMEOUT = "unpaid_timeout"


class CloseOutcome(StrEnum):
    CLOSED = "closed"  # this call closed or cancelled it
    ALREADY_ENDED = "already_ended"  # cancelled or closed before
    PAID = "paid"  # paid (now or before): not closed
    NOT_DUE = "not_due"  # a timeout asked for before the deadline


def _locked_order(order_id: int) -> Order | None:
    return locked(Order, id=order_id)


def close_unpaid_order(order_id: int, actor: OrderActor, reason: str, *, note: str = "") -> CloseOutcome:
    """Cancel (reason "shopper" or "merchant") or time out (reason "unpaid_timeout") a
    pending order: close its WeChat payment, move it by compare-and-set, give back its stock
    and announce order.closed. Returns what happened; the caller commits either way (a
    payment found paid at WeChat is recorded as such)."""
    order = _locked_order(order_id)
    if order is None:
        raise NotFound(_("This order does not exist."), code="order_not_found")
    if order.status in (OrderStatus.CANCELLED, OrderStatus.CLOSED):
        return CloseOutcome.ALREADY_ENDED
    if order.status != OrderStatus.PENDING_PAYMENT:
        return CloseOutcome.PAID
    timeout = reason == UNPAID_TIMEOUT
    if timeout and order.pay_deadline > utcnow():
        return CloseOutcome.NOT_DUE
    if order.payment_id is not None:
        payment = close_payment(order.payment_id)
        if payment.status == PaymentStatus.PAID:
            return CloseOutcome.PAID
    now = utcnow()
    if timeout:
        moved = oplog.move_order(order, OrderStatus.CLOSED, actor, "closed", note=note or _("Not paid in time."),
                                 closed_at=now, close_reason=UNPAID_TIMEOUT)
    else:
        moved = oplog.move_order(order, OrderStatus.CANCELLED, actor, "cancelled", note=note,
                                 cancelled_at=now, close_reason=reason)
    if not moved:
        return CloseOutcome.ALREADY_ENDED if order.status in (OrderStatus.CANCELLED, OrderStatus.CLOSED) \
            else CloseOutcome.PAID
    if not sells_own_stock(order.activity_kind):  # else the activity takes its units back (closed hook)
        for item in sorted(order.items, key=lambda item: item.sku_id):
            stock.give_back(item.sku_id, item.quantity)
    events.order_closed(order.id)
    db.session.flush()
    return CloseOutcome.CLOSED


def overdue_order_ids(limit: int = 1000) -> list[int]:
    """Pending orders whose payment time has run out, oldest deadline first."""
    return list(db.session.scalars(
        select(Order.id).where(Order.status == OrderStatus.PENDING_PAYMENT, Order.pay_deadline <= utcnow())
        .order_by(Order.pay_deadline).limit(limit)))


@job("default")
def close_overdue_order(order_id: int) -> str:
    """Close one order whose payment time ran out (safe to run twice)."""
    try:
        return close_unpaid_order(order_id, oplog.SYSTEM, UNPAID_TIMEOUT).value
    except NotFound:
        return "missing"


@job("default")
def sweep_unpaid_orders() -> int:
    """Enqueue a close job per overdue order (what the scheduler runs every minute)."""
    ids = overdue_order_ids()
    for order_id in ids:
        close_overdue_order.delay(order_id)
    return len(ids)
