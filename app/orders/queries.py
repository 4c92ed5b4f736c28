"""Finding orders: one filter used by the console list, its export and its counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, Select, and_, func, or_, select

from app.accounts.models import User
from app.core.models import utcnow
from app.extensions import db
from app.orders.models import Order, OrderItem
from app.orders.states import OrderStatus

# A paid order not fully shipped this long after payment is an exception order.
SHIPMENT_OVERDUE = "shipment_overdue"
SHIPMENT_OVERDUE_AFTER = timedelta(hours=48)


@dataclass(frozen=True)
class OrderFilter:
    """What a merchant narrows the order list by. Times are naive UTC (the console
    converts China time at its edge); `keyword` matches the order number, the receiver's
    name or phone, a product title or the shopper's nickname."""

    status: str = ""
    since: datetime | None = None
    until: datetime | None = None
    keyword: str = ""
    pay_method: str = ""
    exception: str = ""  # "any" for every exception order, or one exception kind (or SHIPMENT_OVERDUE)
    user_id: int | None = None


def search_orders(criteria: OrderFilter) -> Select:
    """Orders matching `criteria`, newest first (a SELECT to paginate or stream)."""
    statement = select(Order).order_by(Order.id.desc())
    if criteria.status:
        statement = statement.where(Order.status == criteria.status)
    if criteria.since:
        statement = statement.where(Order.created_at >= criteria.since)
    if criteria.until:
        statement = statement.where(Order.created_at < criteria.until)
    if criteria.pay_method:
        statement = statement.where(Order.pay_method == criteria.pay_method)
    if criteria.exception == "any":
        statement = statement.where(or_(Order.exception != "", shipment_overdue()))
    elif criteria.exception == SHIPMENT_OVERDUE:
        statement = statement.where(shipment_overdue())
    elif criteria.exception:
        statement = statement.where(Order.exception == criteria.exception)
    if criteria.user_id:
        statement = statement.where(Order.user_id == criteria.user_id)
    keyword = criteria.keyword.strip()
    if keyword:
        titled = select(OrderItem.order_id).where(OrderItem.title.contains(keyword, autoescape=True))
        by_nickname = select(User.id).where(User.nickname.contains(keyword, autoescape=True))
        statement = statement.where(or_(
            Order.order_no == keyword,
            Order.receiver_phone == keyword,
            Order.receiver_name.contains(keyword, autoescape=True),
            Order.id.in_(titled),
            Order.user_id.in_(by_nickname),
        ))
    return statement


def shipment_overdue(now: datetime | None = None) -> ColumnElement[bool]:
    """Paid more than SHIPMENT_OVERDUE_AFTER ago and still awaiting (some of its) shipment."""
    return and_(Order.status == OrderStatus.PAID, Order.paid_at < (now or utcnow()) - SHIPMENT_OVERDUE_AFTER)


def count_by_status(criteria: OrderFilter | None = None) -> dict[str, int]:
    """How many orders are in each status (for the list's tabs), in one query."""
    statement = select(Order.status, func.count()).group_by(Order.status)
    if criteria is not None and criteria.user_id:
        statement = statement.where(Order.user_id == criteria.user_id)
    return {status: count for status, count in db.session.execute(statement)}
