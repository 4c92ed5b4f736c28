"""The order row as the lock that serialises everything distribution does to one order."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.orders.models import Order


def locked_order(order_id: int) -> Order | None:
    """The order, locked for this transaction: accrual, freezing and refunds of one order run
    one at a time (on SQLite the database's single writer does the same)."""
    return db.session.scalar(select(Order).where(Order.id == order_id).with_for_update())
