"""Refunds of an order item take back its commission, in proportion to what was refunded.

Cumulative, not per refund: after refunds totalling R of an item that paid P, each line
has had exactly floor(amount × R / P) taken back (all of it once R = P), so several partial
refunds add up to exactly a full one, whatever their order or size. Whatever has not been
taken back yet comes out of the bucket the line is in: pending or frozen is cancelled;
available (or already withdrawn) gets a negative clawback entry on available, which may
take it below zero — later commissions net against it. Nothing is silently absorbed.
(An item that paid nothing, with a fixed commission, is taken back by refunded quantity.)

Each refund is recorded once per item (commission_refunds, unique per after-sale), so a
replay changes nothing; refunds that arrive before accrual are applied when it runs.
"""

from __future__ import annotations

from sqlalchemy import func, select

from app.distribution import ledger
from app.distribution.commission_models import CommissionLine, CommissionRefund
from app.distribution.locks import locked_order
from app.distribution.states import LineStatus, move
from app.extensions import db
from app.orders.models import OrderItem


def record(order_item_id: int, amount_fen: int, quantity: int, after_sale_id: int) -> int:
    """Apply one refund of an item to its commission (once); returns how many lines changed."""
    item = db.session.get(OrderItem, order_item_id)
    if item is None or locked_order(item.order_id) is None:
        return 0
    seen = db.session.scalar(select(CommissionRefund.id).where(CommissionRefund.order_item_id == item.id,
                                                               CommissionRefund.after_sale_id == after_sale_id))
    if seen is not None:
        return 0
    db.session.add(CommissionRefund(order_item_id=item.id, after_sale_id=after_sale_id, amount_fen=max(0, amount_fen),
                                    quantity=max(0, quantity)))
    db.session.flush()
    return apply_recorded(item)


def taken_back_target(amount_fen: int, item: OrderItem, refunded_fen: int, refunded_quantity: int) -> int:
    if item.paid_fen > 0:
        return amount_fen * min(refunded_fen, item.paid_fen) // item.paid_fen
    return amount_fen * min(refunded_quantity, item.quantity) // item.quantity


def apply_recorded(item: OrderItem) -> int:
    """Bring every paying line of the item up to date with the refunds recorded so far."""
    refunded_fen, refunded_quantity, last_id = db.session.execute(
        select(func.coalesce(func.sum(CommissionRefund.amount_fen), 0),
               func.coalesce(func.sum(CommissionRefund.quantity), 0), func.max(CommissionRefund.id))
        .where(CommissionRefund.order_item_id == item.id)).one()
    if last_id is None:
        return 0
    lines = db.session.scalars(select(CommissionLine).where(
        CommissionLine.order_item_id == item.id, CommissionLine.amount_fen > 0).order_by(CommissionLine.id)
        .with_for_update())
    changed = 0
    for line in lines:
        owed = taken_back_target(line.amount_fen, item, int(refunded_fen), int(refunded_quantity))
        delta = owed - line.cancelled_fen - line.clawed_back_fen
        if delta <= 0:
            continue
        if line.status in (LineStatus.PENDING, LineStatus.FROZEN):
            ledger.post(line.beneficiary_user_id, "cancel", line_id=line.id, ref=last_id,
                        **{str(line.status): -delta})
            line.cancelled_fen += delta
            db.session.flush()
            if line.cancelled_fen == line.amount_fen:
                move(line, LineStatus.CANCELLED)
        elif line.status == LineStatus.AVAILABLE:
            ledger.post(line.beneficiary_user_id, "clawback", line_id=line.id, ref=last_id, available=-delta)
            line.clawed_back_fen += delta
            db.session.flush()
        changed += 1
    return changed
