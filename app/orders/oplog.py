"""The operation log on every order (seed 5.x: who did what, when), written in the same
transaction as the change it describes; and the one place an order's status changes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from app.extensions import db
from app.orders import states
from app.orders.models import Order, OrderLog


@dataclass(frozen=True)
class OrderActor:
    """Who acted on an order: the shopper, a staff member, or the system (a job)."""

    kind: str  # shopper | staff | system
    id: int | None = None
    name: str = ""


SYSTEM = OrderActor("system", None, "system")


def shopper(user_id: int) -> OrderActor:
    return OrderActor("shopper", user_id)


def staff(staff_id: int | None, name: str = "") -> OrderActor:
    return OrderActor("staff", staff_id, name)


def log(order: Order, actor: OrderActor, action: str, *, note: str = "", from_status: str = "",
        to_status: str = "") -> OrderLog:
    row = OrderLog(order_id=order.id, actor_type=actor.kind, actor_id=actor.id, actor_name=actor.name[:64],
                   action=action, from_status=from_status, to_status=to_status, note=note[:500])
    db.session.add(row)
    return row


def move_order(order: Order, wanted: str, actor: OrderActor, action: str, *, note: str = "",
               **values: Any) -> bool:
    """Change the order's status (compare-and-set) and log it; False if another transaction
    moved it first (nothing logged, the order reloaded with the winner's state)."""
    before = order.status
    if not states.move(order, wanted, **values):
        return False
    log(order, actor, action, note=note, from_status=before, to_status=wanted)
    return True


def timeline(order_id: int) -> list[OrderLog]:
    return list(db.session.scalars(select(OrderLog).where(OrderLog.order_id == order_id).order_by(OrderLog.id)))
