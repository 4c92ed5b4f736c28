"""Helpers for the group-buy tests: an activity as the console will save it, orders placed
through the real checkout and paid from the balance, then handed to the activity's `paid`
hook (`seat_paid`) as the activity-order foundation will, and the rows they leave."""

from __future__ import annotations

import itertools
import uuid
from datetime import timedelta

from sqlalchemy import func, select, update

from app.core.models import utcnow
from app.extensions import db
from app.marketing import jobs
from app.marketing.group_models import GroupActivity, GroupBuyGroup, GroupBuyMember
from app.marketing.group_seats import seat_paid
from app.members.models import BalanceEntry
from app.orders import checkout
from app.orders.models import AfterSale, Order
from app.orders.payment import pay_order
from tests import factories
from tests.points_helpers import holder

_keys = itertools.count(1)


def activity(sku, *, size: int = 3, **fields) -> GroupActivity:
    """A live activity for `sku`, one group price below the SKU's."""
    now = utcnow()
    row = GroupActivity(**{"name": "三人团", "product_id": sku.product_id, "sku_id": sku.id,
                           "group_price_fen": max(sku.price_fen - 100, 0), "group_size": size,
                           "time_limit_hours": 24, "starts_at": now - timedelta(hours=1),
                           "ends_at": now + timedelta(days=3), **fields})
    db.session.add(row)
    db.session.commit()
    return row


def goods(price_fen: int = 5000, stock: int = 500):
    return factories.product(factories.category(), price_fen=price_fen, stock=stock).skus[0]


def paid_order(user, sku, *, coupon_id: int | None = None, points: int = 0) -> Order:
    """An order for one unit of `sku` through the real checkout, paid from the balance."""
    request = checkout.CheckoutRequest(lines=[(sku.id, 1)], coupon_id=coupon_id, best_coupon=False, points=points)
    order, _created = checkout.place_order(user.id, request, f"group-{next(_keys)}-{uuid.uuid4().hex[:8]}")
    db.session.commit()
    pay_order(user.id, order.id, "balance")
    db.session.commit()
    return order


def join(user, sku, ref: str, **order_fields) -> GroupBuyMember:
    """Pay an order and run the `paid` hook on it, in one transaction as the foundation will."""
    order = paid_order(user, sku, **order_fields)
    member = seat_paid(db.session.get(Order, order.id), ref)
    db.session.commit()
    return member


def lead(sku, act: GroupActivity, user=None) -> GroupBuyMember:
    return join(user or holder(), sku, str(act.id))


def group(group_id: int) -> GroupBuyGroup:
    db.session.commit()
    db.session.expire_all()
    return db.session.get(GroupBuyGroup, group_id)


def expire_now(group_id: int) -> None:
    db.session.execute(update(GroupBuyGroup).where(GroupBuyGroup.id == group_id)
                       .values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()


def run_expiry(times: int = 1) -> None:
    for _run in range(times):
        jobs.expire_groups()
        db.session.commit()


def refunds_of(order_id: int) -> list[tuple[int, int]]:
    """The balance credited back for the order's after-sales: (fen, count of entries)."""
    db.session.commit()
    numbers = select(AfterSale.after_sale_no).where(AfterSale.order_id == order_id)
    return [tuple(row) for row in db.session.execute(
        select(func.coalesce(func.sum(BalanceEntry.delta_fen), 0), func.count())
        .where(BalanceEntry.kind == "order_refund", BalanceEntry.ref.in_(numbers)))]


def fresh_order(order_id: int) -> Order:
    db.session.commit()
    db.session.expire_all()
    return db.session.get(Order, order_id)
