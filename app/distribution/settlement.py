"""Freezing and releasing commission.

When an order completes, its pending lines freeze until completed_at + freeze days (the
settings at that moment) — never counted from payment, so commission cannot become
withdrawable inside the after-sales window. A sweep (cron, or `flask distribution
release`) then moves due frozen lines to available. Both are compare-and-set status moves
with their ledger entry in the same transaction, so running them twice changes nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from app.core.models import utcnow
from app.distribution import ledger
from app.distribution.commission_models import CommissionLine
from app.distribution.locks import locked_order
from app.distribution.settings import current
from app.distribution.states import LineStatus, move
from app.extensions import db
from app.orders.models import Order


def freeze_order(order_id: int) -> int:
    """On order.completed; returns how many lines froze."""
    order = locked_order(order_id)
    return freeze(order) if order is not None else 0


def freeze(order: Order) -> int:
    if order.status != "completed" or order.completed_at is None:
        return 0
    until = order.completed_at + timedelta(days=current().freeze_days)
    frozen = 0
    lines = db.session.scalars(select(CommissionLine).where(
        CommissionLine.order_id == order.id, CommissionLine.status == LineStatus.PENDING)
        .order_by(CommissionLine.id).with_for_update())
    for line in list(lines):
        if move(line, LineStatus.FROZEN, frozen_until=until):
            remaining = line.amount_fen - line.cancelled_fen
            ledger.post(line.beneficiary_user_id, "freeze", line_id=line.id, pending=-remaining, frozen=remaining)
            frozen += 1
    return frozen


def due_line_ids(now: datetime | None = None, limit: int = 1000) -> list[int]:
    return list(db.session.scalars(select(CommissionLine.id).where(
        CommissionLine.status == LineStatus.FROZEN, CommissionLine.frozen_until <= (now or utcnow()))
        .order_by(CommissionLine.id).limit(limit)))


def release_line(line_id: int, now: datetime | None = None) -> bool:
    """Frozen → available once due; False when it is not (yet, or any more) frozen."""
    line = db.session.scalar(select(CommissionLine).where(CommissionLine.id == line_id).with_for_update())
    if line is None or line.status != LineStatus.FROZEN or line.frozen_until > (now or utcnow()):
        return False
    if not move(line, LineStatus.AVAILABLE):
        return False
    remaining = line.amount_fen - line.cancelled_fen
    ledger.post(line.beneficiary_user_id, "release", line_id=line.id, frozen=-remaining, available=remaining)
    return True
