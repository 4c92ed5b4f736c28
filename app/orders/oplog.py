"""The operation log on every order (seed 5.x: who did what, when), written in the same
transaction as the change it describes; and the one place an order's status changes."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.core.labels import labels
from app.extensions import db
from app.orders import states
from app.orders.models import Order, OrderLog


class ActorKind(StrEnum):
    SHOPPER = "shopper"
    STAFF = "staff"
    SYSTEM = "system"


ACTOR_KIND_LABELS = labels(ActorKind, {
    ActorKind.SHOPPER: _l("Shopper"), ActorKind.STAFF: _l("Staff"), ActorKind.SYSTEM: _l("System"),
})


class OrderLogAction(StrEnum):
    """What an order log row records (`order_logs.action`)."""

    CREATED = "created"
    PAID = "paid"
    COD_CONFIRMED = "cod_confirmed"
    PARCEL_SHIPPED = "parcel_shipped"
    SHIPPED = "shipped"
    COMPLETED = "completed"
    RECEIVED = "received"
    AUTO_RECEIVED = "auto_received"
    REMARKED = "remarked"
    CANCELLED = "cancelled"
    CLOSED = "closed"
    AUTO_REFUND = "auto_refund"
    AFTER_SALE_REQUESTED = "after_sale_requested"
    AFTER_SALE_CANCELLED = "after_sale_cancelled"
    AFTER_SALE_RETURNED = "after_sale_returned"
    AFTER_SALE_APPROVED = "after_sale_approved"
    AFTER_SALE_REJECTED = "after_sale_rejected"
    AFTER_SALE_RECEIVED = "after_sale_received"
    AFTER_SALE_REFUNDING = "after_sale_refunding"
    AFTER_SALE_REFUNDED = "after_sale_refunded"
    AFTER_SALE_REFUND_FAILED = "after_sale_refund_failed"
    GROUP_JOINED = "group_joined"
    GROUP_SUCCEEDED = "group_succeeded"
    GROUP_FAILED = "group_failed"


ORDER_LOG_ACTION_LABELS = labels(OrderLogAction, {
    OrderLogAction.CREATED: _l("Order placed"), OrderLogAction.PAID: _l("Paid"),
    OrderLogAction.COD_CONFIRMED: _l("Cash on delivery confirmed"),
    OrderLogAction.PARCEL_SHIPPED: _l("Parcel shipped"), OrderLogAction.SHIPPED: _l("Shipped"),
    OrderLogAction.COMPLETED: _l("Completed"), OrderLogAction.RECEIVED: _l("Receipt confirmed"),
    OrderLogAction.AUTO_RECEIVED: _l("Received automatically"), OrderLogAction.REMARKED: _l("Merchant remark"),
    OrderLogAction.CANCELLED: _l("Cancelled"), OrderLogAction.CLOSED: _l("Closed"),
    OrderLogAction.AUTO_REFUND: _l("Refunded automatically"),
    OrderLogAction.AFTER_SALE_REQUESTED: _l("After-sale requested"),
    OrderLogAction.AFTER_SALE_CANCELLED: _l("After-sale withdrawn"),
    OrderLogAction.AFTER_SALE_RETURNED: _l("Return sent back"),
    OrderLogAction.AFTER_SALE_APPROVED: _l("After-sale approved"),
    OrderLogAction.AFTER_SALE_REJECTED: _l("After-sale rejected"),
    OrderLogAction.AFTER_SALE_RECEIVED: _l("Return received"),
    OrderLogAction.AFTER_SALE_REFUNDING: _l("Refund started"),
    OrderLogAction.AFTER_SALE_REFUNDED: _l("Refunded"),
    OrderLogAction.AFTER_SALE_REFUND_FAILED: _l("Refund failed"),
    OrderLogAction.GROUP_JOINED: _l("Joined a group"),
    OrderLogAction.GROUP_SUCCEEDED: _l("Group formed"),
    OrderLogAction.GROUP_FAILED: _l("Group failed"),
})


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
