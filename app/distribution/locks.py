"""The order row as the lock that serialises everything distribution does to one order."""

from __future__ import annotations

from app.core.locking import locked
from app.orders.models import Order


def locked_order(order_id: int) -> Order | None:
    """The order, locked for this transaction: accrual, freezing and refunds of one order run
    one at a time (on SQLite the database's single writer does the same)."""
    return locked(Order, id=order_id)
