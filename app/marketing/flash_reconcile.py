"""The flash sale gates of the session on now, made to agree with the database every minute.

A worker killed between the gate's take and the order's commit leaves a hold no order carries:
its units are given back once the hold is older than the gate's grace period. A hold whose
order was paid is settled, one whose order closed is given back; `left` and the shoppers'
counts are then set from the database (app.marketing.flash_gate.FlashGate.reconcile)."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import select, tuple_

from app.extensions import db
from app.marketing.flash_gates import database_figures, gate_for
from app.marketing.flash_offers import items_on
from app.marketing.flash_schedule import today_sessions
from app.orders.models import Order
from app.orders.states import OrderStatus

log = logging.getLogger(__name__)
CLOSED = (OrderStatus.CLOSED, OrderStatus.CANCELLED)


def orders_of(tokens: list[str]) -> Mapping[str, str]:
    """For gate tokens ("<user id>:<checkout key>"), the state of the order each names:
    "waiting" (unpaid), "paid" (any later state); closed orders and unknown tokens left out."""
    pairs = {}
    for token in tokens:
        user, _sep, key = token.partition(":")
        if user.isdigit() and key:
            pairs[(int(user), key)] = token
    if not pairs:
        return {}
    found = {}
    rows = db.session.execute(select(Order.user_id, Order.idempotency_key, Order.status)
                              .where(tuple_(Order.user_id, Order.idempotency_key).in_(list(pairs))))
    for user_id, key, status in rows:
        if status == OrderStatus.PENDING_PAYMENT:
            found[pairs[(user_id, key)]] = "waiting"
        elif status not in CLOSED:
            found[pairs[(user_id, key)]] = "paid"
    return found


def reconcile_live_gates(now: datetime | None = None) -> list[str]:
    """Every item of the session on now: its gate against the database. The repairs, as text."""
    current = today_sessions(now).current
    if current is None:
        return []
    repairs = []
    for item, activity in items_on(current):
        if activity.stopped_at is not None or activity.stock_returned_at is not None:
            continue
        gate = gate_for(item, current)
        for repair in gate.reconcile(*database_figures(item, current), orders_of):
            log.warning("flash gate of item %s: %s", item.id, repair)
            repairs.append(f"item {item.id}: {repair}")
    return repairs
