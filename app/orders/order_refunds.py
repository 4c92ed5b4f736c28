"""Refunding a whole paid order without a shopper asking: a group that failed (拼团失败), a
flash-sale payment that arrived for a closed order with no stock left.

It goes through the after-sales machinery on purpose: one system after-sale per item (refund
only, approved by the system at once, its refund started), so coupons, points, commission,
stock, freight and closing the order behave exactly as a merchant-approved full refund does.

Idempotent: under the order's row lock, an item whose units are all claimed already (by this
refund before, or by the shopper's own request) is skipped; a system after-sale WeChat refused
(back in `requested`) is started again. Running it five times refunds nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.audit import services as audit
from app.audit.actions import AuditAction, AuditTarget
from app.core.labels import labels
from app.core.locking import locked
from app.core.models import utcnow
from app.core.money import fen_to_yuan
from app.extensions import db
from app.orders import after_sale_refunds, oplog
from app.orders.after_sales import claim_units, claimed_points
from app.orders.models import AfterSale, Order, OrderItem
from app.orders.oplog import OrderActor
from app.orders.states import AfterSaleKind, AfterSaleStatus, OrderStatus
from app.payments.records import new_number

REFUNDABLE_STATUSES = (OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.COMPLETED)


class AutoRefundReason(StrEnum):
    """Why the system refunded a whole order (the after-sale's reason reads as its label)."""

    GROUP_FAILED = "group_failed"
    GROUP_FULL = "group_full"
    SOLD_OUT = "sold_out"


AUTO_REFUND_REASON_LABELS = labels(AutoRefundReason, {
    AutoRefundReason.GROUP_FAILED: _l("Group buy failed"),
    AutoRefundReason.GROUP_FULL: _l("The group was already full"),
    AutoRefundReason.SOLD_OUT: _l("Sold out when the payment arrived"),
})


@dataclass
class WholeRefund:
    """What one call did: the after-sales it started (new or restarted); empty on a replay."""

    order_id: int
    after_sale_ids: list[int] = field(default_factory=list)
    refunded_fen: int = 0

    @property
    def started(self) -> bool:
        return bool(self.after_sale_ids)


def refund_whole_order(order_id: int, reason: str, by: OrderActor = oplog.SYSTEM) -> WholeRefund:
    """Refund every unit of the order not yet claimed, each item by a system after-sale whose
    refund starts now (WeChat finishes it by notification; balance at once). Flushes, never
    commits. An order that is not paid (or already closed) is left alone."""
    outcome = WholeRefund(order_id)
    order = locked(Order, id=order_id)  # one refund decision per order at a time, as start_refund
    if order is None or order.status not in REFUNDABLE_STATUSES:
        return outcome
    before = order.status
    label = _reason_text(reason)
    rows = _restartable(order) + _claim_items(order, label)
    if not rows:
        return outcome
    numbers = " ".join(row.after_sale_no for row in rows)
    oplog.log(order, by, "auto_refund", note=f"{label}: {numbers}")
    for row in rows:
        row.reviewed_at = row.reviewed_at or utcnow()
        after_sale_refunds.start_refund(row, by)
        outcome.after_sale_ids.append(row.id)
        outcome.refunded_fen += row.amount_fen
    audit.record(audit.SYSTEM, area="orders", action=AuditAction.AFTER_SALE_AUTO_REFUND,
                 target_type=AuditTarget.ORDER, target_id=order.id,
                 summary=f"{order.order_no} ¥{fen_to_yuan(outcome.refunded_fen)} {label}",
                 before={"status": before}, after={"reason": reason, "after_sales": numbers})
    db.session.flush()
    return outcome


def _reason_text(reason: str) -> str:
    """The reason as merchants read it, in the shop's language whoever triggered it."""
    label = AUTO_REFUND_REASON_LABELS.get(reason)
    return _shop_text(label if label is not None else reason)[:64]


def _shop_text(text) -> str:
    with force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE", "zh_Hans_CN")):
        return str(text)


def _restartable(order: Order) -> list[AfterSale]:
    """The system's own after-sales of the order that WeChat refused (sent back to review).
    A plain read: the order's lock already serialises the refunds of this order (a locking
    read here would hold gap locks that deadlock two orders' after-sale inserts), and
    starting one again is a compare-and-set on its status."""
    return list(db.session.scalars(
        select(AfterSale).where(AfterSale.order_id == order.id, AfterSale.status == AfterSaleStatus.REQUESTED,
                                AfterSale.after_sale_no.startswith(SYSTEM_PREFIX))
        .order_by(AfterSale.id).execution_options(populate_existing=True)))


SYSTEM_PREFIX = "SA"  # the system's own after-sale numbers (a shopper's start S and a digit)


def _claim_items(order: Order, label: str) -> list[AfterSale]:
    """Claim what is left of each item (its units and its money) and write its after-sale."""
    rows = []
    items = db.session.scalars(select(OrderItem).where(OrderItem.order_id == order.id).order_by(OrderItem.id)
                               .with_for_update().execution_options(populate_existing=True))
    for item in list(items):
        quantity = item.quantity - item.claimed_quantity
        amount = item.paid_fen - item.claimed_fen
        if quantity <= 0:
            continue  # every unit is claimed already: by this refund before, or by the shopper
        if not claim_units(item, amount, quantity, as_seen=True):
            continue  # claimed meanwhile (only without row locks): the next run sees it
        points = claimed_points(item, amount, quantity)
        row = AfterSale(after_sale_no=new_number(SYSTEM_PREFIX), order_id=order.id, order_item_id=item.id,
                        user_id=order.user_id, kind=AfterSaleKind.REFUND_ONLY, status=AfterSaleStatus.REQUESTED,
                        quantity=quantity, amount_fen=amount, refund_points=points, reason=label,
                        description=_shop_text(_l("Refunded automatically by the system: %(reason)s",
                                                  reason=label)),
                        photo_urls=[], refund_method=order.pay_method or "")
        db.session.add(row)
        db.session.flush()
        oplog.log(order, oplog.SYSTEM, "after_sale_requested",
                  note=f"{row.after_sale_no} {item.title} ×{quantity} ¥{fen_to_yuan(amount)} {label}")
        rows.append(row)
    return rows
