"""Every allowed status change of an order and of an after-sale, in one place.

`move()` is the only way a status changes (compare-and-set, `app.core.state_machine`), so
of two transactions racing on one order only one wins. Partial shipment is not a status: an
order stays `paid` (awaiting shipment) until every unit has left, and says how far it got.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l

from app.core import state_machine
from app.core.labels import labels
from app.core.state_machine import IllegalTransition  # noqa: F401  (callers catch it from here)


class OrderStatus(StrEnum):
    PENDING_PAYMENT = "pending_payment"
    PAID = "paid"  # awaiting shipment (cash-on-delivery orders too, unpaid until delivery)
    SHIPPED = "shipped"
    COMPLETED = "completed"
    CANCELLED = "cancelled"  # by the shopper or merchant before payment
    CLOSED = "closed"  # unpaid in time, or every unit refunded before completion


class PayMethod(StrEnum):
    WECHAT = "wechat"
    BALANCE = "balance"
    COD = "cod"  # cash on delivery


class AfterSaleKind(StrEnum):
    REFUND_ONLY = "refund_only"
    RETURN_REFUND = "return_refund"


class AfterSaleStatus(StrEnum):
    REQUESTED = "requested"  # waiting for the merchant
    APPROVED = "approved"  # return and refund: waiting for the shopper to send it back
    RETURNING = "returning"  # the shopper gave the return tracking number
    REFUNDING = "refunding"  # refund submitted (WeChat refunds finish by notification)
    REFUNDED = "refunded"
    REJECTED = "rejected"
    CANCELLED = "cancelled"  # withdrawn by the shopper


ORDER_TRANSITIONS: dict[str, frozenset[str]] = {
    OrderStatus.PENDING_PAYMENT: frozenset({OrderStatus.PAID, OrderStatus.CANCELLED, OrderStatus.CLOSED}),
    OrderStatus.PAID: frozenset({OrderStatus.SHIPPED, OrderStatus.CLOSED}),
    OrderStatus.SHIPPED: frozenset({OrderStatus.COMPLETED, OrderStatus.CLOSED}),
    OrderStatus.COMPLETED: frozenset(),
    OrderStatus.CANCELLED: frozenset(),
    OrderStatus.CLOSED: frozenset(),
}

AFTER_SALE_TRANSITIONS: dict[str, frozenset[str]] = {
    AfterSaleStatus.REQUESTED: frozenset({AfterSaleStatus.APPROVED, AfterSaleStatus.REFUNDING,
                                          AfterSaleStatus.REJECTED, AfterSaleStatus.CANCELLED}),
    AfterSaleStatus.APPROVED: frozenset({AfterSaleStatus.RETURNING, AfterSaleStatus.REFUNDING,
                                         AfterSaleStatus.CANCELLED}),
    AfterSaleStatus.RETURNING: frozenset({AfterSaleStatus.REFUNDING, AfterSaleStatus.REJECTED}),
    # A WeChat refund that WeChat closes goes back to the merchant to try again.
    AfterSaleStatus.REFUNDING: frozenset({AfterSaleStatus.REFUNDED, AfterSaleStatus.RETURNING,
                                          AfterSaleStatus.REQUESTED}),
    AfterSaleStatus.REFUNDED: frozenset(),
    AfterSaleStatus.REJECTED: frozenset(),
    AfterSaleStatus.CANCELLED: frozenset(),
}

# What merchants see next to each status (seed 5.1: "what does each order status mean").
ORDER_STATUS_LABELS = labels(OrderStatus, {
    OrderStatus.PENDING_PAYMENT: _l("Pending payment"),
    OrderStatus.PAID: _l("Awaiting shipment"),
    OrderStatus.SHIPPED: _l("Shipped"),
    OrderStatus.COMPLETED: _l("Completed"),
    OrderStatus.CANCELLED: _l("Cancelled"),
    OrderStatus.CLOSED: _l("Closed"),
})
ORDER_STATUS_MEANINGS = {
    OrderStatus.PENDING_PAYMENT: _l("Placed, stock reserved, not paid yet; closes by itself when the payment "
                                    "time runs out and the stock returns."),
    OrderStatus.PAID: _l("Paid (or cash on delivery confirmed); waiting for you to ship. Partly shipped "
                         "orders stay here until every unit has left."),
    OrderStatus.SHIPPED: _l("Everything has left; waiting for the shopper to confirm receipt, which happens "
                            "by itself after the configured days."),
    OrderStatus.COMPLETED: _l("Received. After-sales stay open for the configured days; commission starts "
                              "its freeze from here."),
    OrderStatus.CANCELLED: _l("Cancelled before payment; the stock returned."),
    OrderStatus.CLOSED: _l("Not paid in time, or every unit was refunded; nothing more happens."),
}
AFTER_SALE_STATUS_LABELS = labels(AfterSaleStatus, {
    AfterSaleStatus.REQUESTED: _l("Waiting for review"),
    AfterSaleStatus.APPROVED: _l("Waiting for the return"),
    AfterSaleStatus.RETURNING: _l("Return on its way"),
    AfterSaleStatus.REFUNDING: _l("Refunding"),
    AfterSaleStatus.REFUNDED: _l("Refunded"),
    AfterSaleStatus.REJECTED: _l("Rejected"),
    AfterSaleStatus.CANCELLED: _l("Withdrawn"),
})
PAY_METHOD_LABELS = labels(PayMethod, {
    PayMethod.WECHAT: _l("WeChat Pay"), PayMethod.BALANCE: _l("Balance"), PayMethod.COD: _l("Cash on delivery"),
})
AFTER_SALE_KIND_LABELS = labels(AfterSaleKind, {
    AfterSaleKind.REFUND_ONLY: _l("Refund only"), AfterSaleKind.RETURN_REFUND: _l("Return and refund"),
})

TRANSITIONS: dict[str, dict[str, frozenset[str]]] = {
    "orders": ORDER_TRANSITIONS,
    "after_sales": AFTER_SALE_TRANSITIONS,
}


def can_move(table: str, current: str, wanted: str) -> bool:
    return state_machine.can_move(TRANSITIONS, table, current, wanted)


def move(row: Any, wanted: str, **values: Any) -> bool:
    """Change an order's or after-sale's status by compare-and-set; see
    `app.core.state_machine.move` (raises IllegalTransition when the table forbids it). An
    order that moved moves its tab counter along, in the same transaction."""
    before = row.status
    moved = state_machine.move(TRANSITIONS, row, wanted, **values)
    if moved and row.__tablename__ == "orders":
        from app.extensions import db
        from app.orders import status_counts  # imports the models, which import this module

        status_counts.moved(db.session.connection(), row.id, before, wanted)
    return moved
