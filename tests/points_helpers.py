"""Helpers for the points and sign-in tests: rules, a shopper holding points, orders placed
through the real checkout, paid from the balance, refunded through after-sales."""

from __future__ import annotations

import itertools
import uuid

from sqlalchemy import func, select

from app.addresses.models import Address
from app.audit.services import Actor
from app.extensions import db
from app.marketing import points_rules
from app.marketing.points_models import OrderPoints
from app.members.models import PointsEntry
from app.members.services import change_balance, change_points, wallet_of
from app.orders import after_sales, checkout, oplog
from app.orders.after_sales import Application
from app.orders.models import Order
from app.orders.payment import pay_order
from app.shop.services import shop_settings
from tests import factories

BOSS = Actor(None, "127.0.0.1")
BY = oplog.staff(None, "boss")
_keys = itertools.count(1)


def rules(**changes) -> None:
    values = {**points_rules.snapshot(points_rules.defaults()), "deduction_enabled": True, **changes}
    points_rules.update(BOSS, values)
    db.session.commit()


def holder(points: int = 0, balance_fen: int = 1_000_000):
    """A shopper with an address, `points` points and money in the balance to pay with."""
    user = factories.shopper()
    db.session.add(Address(user_id=user.id, receiver_name="张三", receiver_phone="13800138000",
                           region_code="440305", region_text="广东省 深圳市 南山区", detail="科技园1号",
                           is_default=True))
    change_balance(user.id, balance_fen, kind="admin_adjust", ref=f"test-top-up-{user.id}", reason="充值")
    if points:
        change_points(user.id, points, kind="admin_adjust", ref=f"test-points-{user.id}", reason="赠送")
    settings = shop_settings()
    settings.pay_balance = True
    db.session.commit()
    return user


def skus(*prices: int, stock: int = 50):
    return [factories.product(factories.category(), price_fen=price, stock=stock).skus[0] for price in prices]


def place(user, lines, points: int = 0) -> Order:
    request = checkout.CheckoutRequest(lines=[(sku.id, quantity) for sku, quantity in lines], points=points,
                                       best_coupon=False)
    order, _created = checkout.place_order(user.id, request, f"key-{next(_keys)}-{uuid.uuid4().hex[:8]}")
    db.session.commit()
    return order


def pay(order: Order) -> Order:
    pay_order(order.user_id, order.id, "balance")
    db.session.commit()
    return order


def refund(order: Order, item_index: int = 0, quantity: int = 1):
    row = after_sales.request_after_sale(order.user_id, Application(
        order_item_id=order.items[item_index].id, kind="refund_only", quantity=quantity, reason="不想要了"))
    db.session.commit()
    after_sales.approve(BOSS, BY, row.id, "")
    db.session.commit()
    return row


def points(user) -> int:
    db.session.expire_all()
    return wallet_of(user.id).points


def ledger_sum(user) -> int:
    return int(db.session.scalar(select(func.coalesce(func.sum(PointsEntry.delta), 0))
                                 .where(PointsEntry.user_id == user.id)))


def order_points(order: Order) -> OrderPoints | None:
    db.session.expire_all()
    return db.session.get(OrderPoints, order.id)


def complete(order: Order) -> Order:
    from app.orders import fulfilment
    fulfilment.ship_all(order.id, "SF", f"SF{order.id:010d}", BY)
    db.session.commit()
    fulfilment.confirm_receipt(order.id, BY)
    db.session.commit()
    return order


def wallet_problems() -> list[str]:
    from app.members import verify
    db.session.commit()
    return list(verify.problems())
