"""Demo orders in every state, placed and moved through the real services (checkout,
balance and cash-on-delivery payment, shipping, receipt, cancel, timeout, after-sales), then
spread over the last two weeks so the dashboard and the order list look like a shop in business.

Idempotent: each demo order has a fixed idempotency key per shopper, so running the seed
again finds the orders it made instead of placing new ones.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from app.accounts.models import User
from app.addresses.services import addresses_of, create_address
from app.audit.services import SYSTEM as AUDIT_SYSTEM
from app.catalog.models import Product, Sku
from app.core.models import utcnow
from app.extensions import db
from app.members.services import change_balance
from app.orders import fulfilment
from app.orders.after_sales import Application, approve, request_after_sale
from app.orders.checkout import CheckoutRequest, order_by_key, place_order
from app.orders.closing import UNPAID_TIMEOUT, close_unpaid_order
from app.orders.models import AfterSale, Order, OrderLog, Parcel
from app.orders.oplog import SYSTEM, shopper, staff
from app.orders.payment import mark_order_paid, pay_order
from app.orders.states import OrderStatus, PayMethod

ADDRESSES = (
    ("110105", "建国路88号SOHO现代城2号楼1201"),
    ("310115", "世纪大道100号环球金融中心45层"),
    ("440305", "科技园南区高新南一道9号"),
    ("330106", "文三路478号华星时代广场A座"),
    ("510107", "天府大道北段1700号环球中心W6区"),
)
COURIERS = ("SF", "ZTO", "YTO", "JD", "YD")
TOP_UP_FEN = 2_000_000  # ¥20,000 of demo balance per shopper, enough for every demo order


@dataclass(frozen=True)
class DemoOrder:
    key: str
    target: str  # the state to bring it to (see _advance)
    days_ago: int
    lines: int = 1  # how many different SKUs


PLAN = (
    DemoOrder("fresh-unpaid", "pending_payment", 0),
    DemoOrder("unpaid-2", "pending_payment", 0, 2),
    DemoOrder("cancelled", "cancelled", 1),
    DemoOrder("timed-out", "closed", 2),
    DemoOrder("awaiting", "paid", 0, 2),
    DemoOrder("awaiting-cod", "paid_cod", 1),
    DemoOrder("overdue", "paid", 3),
    DemoOrder("partly-shipped", "partly_shipped", 2, 2),
    DemoOrder("shipped", "shipped", 3),
    DemoOrder("shipped-2", "shipped", 4, 2),
    DemoOrder("completed", "completed", 6),
    DemoOrder("completed-2", "completed", 9, 2),
    DemoOrder("completed-cod", "completed_cod", 12),
)


def seed_orders(shoppers_per_plan: int = 3) -> list[str]:
    """Place and advance the demo orders for the first few demo shoppers."""
    users = list(db.session.scalars(select(User).where(User.is_test.is_(True)).order_by(User.id)
                                    .limit(shoppers_per_plan)))
    skus = list(db.session.scalars(
        select(Sku).join(Product, Product.id == Sku.product_id)
        .where(Product.is_on_shelf.is_(True), Product.deleted_at.is_(None), Sku.stock >= 50).order_by(Sku.id)))
    if not users or not skus:
        return ["orders: skipped (no demo shoppers or products)"]
    rng = random.Random(20261127)
    created = 0
    for index, user in enumerate(users):
        _ensure_address(user.id, index)
        change_balance(user.id, TOP_UP_FEN, kind="demo_top_up", ref=f"demo-{user.id}", reason="演示余额")
        for plan in PLAN:
            key = f"demo-{plan.key}"
            if order_by_key(user.id, key) is not None:
                continue
            lines = [(sku.id, rng.randint(1, 3)) for sku in rng.sample(skus, plan.lines)]
            order, _new = place_order(user.id, CheckoutRequest(lines=lines, remark=_remark(rng)), key)
            _advance(order, plan.target, rng)
            _backdate(order, plan.days_ago, rng)
            created += 1
        _after_sales(user.id)
    db.session.flush()
    counts = dict(db.session.execute(select(Order.status, db.func.count()).group_by(Order.status)).all())
    summary = ", ".join(f"{status} {counts.get(status, 0)}" for status in OrderStatus)
    after_sales = db.session.execute(select(AfterSale.status, db.func.count()).group_by(AfterSale.status)).all()
    return [f"orders: {created} created ({summary})",
            "after-sales: " + (", ".join(f"{status} {count}" for status, count in sorted(after_sales)) or "none")]


def _after_sales(user_id: int) -> None:
    """One return waiting for the merchant's review, and one refund already paid back."""
    if db.session.scalar(select(AfterSale.id).where(AfterSale.user_id == user_id).limit(1)) is not None:
        return
    completed, shipped = order_by_key(user_id, "demo-completed"), order_by_key(user_id, "demo-shipped-2")
    if completed is not None and completed.status == OrderStatus.COMPLETED:
        request_after_sale(user_id, Application(order_item_id=completed.items[0].id, kind="return_refund",
                                                quantity=1, reason="商品破损", description="外包装压坏了"))
    if shipped is not None and shipped.status == OrderStatus.SHIPPED:
        refund = request_after_sale(user_id, Application(order_item_id=shipped.items[0].id, kind="refund_only",
                                                         quantity=1, reason="少件/漏发"))
        approve(AUDIT_SYSTEM, staff(None, "店主"), refund.id)


def _ensure_address(user_id: int, index: int) -> None:
    if addresses_of(user_id):
        return
    code, detail = ADDRESSES[index % len(ADDRESSES)]
    user = db.session.get(User, user_id)
    create_address(user_id, {"receiver_name": user.nickname or "顾客", "receiver_phone": f"1380013{8000 + index:04d}",
                             "region_code": code, "detail": detail, "tag": "家"}, is_default=True)


def _remark(rng: random.Random) -> str:
    return rng.choice(("", "", "请尽快发货", "周末送货", "放快递柜"))


def _advance(order: Order, target: str, rng: random.Random) -> None:
    owner = staff(None, "店主")
    if target == "pending_payment":
        return
    if target == "cancelled":
        close_unpaid_order(order.id, shopper(order.user_id), "shopper", note="不想要了")
        return
    if target == "closed":
        order.pay_deadline = utcnow() - timedelta(minutes=1)
        close_unpaid_order(order.id, SYSTEM, UNPAID_TIMEOUT)
        return
    if target.endswith("_cod"):
        mark_order_paid(order, paid_fen=0, method=PayMethod.COD, actor=shopper(order.user_id))
        target = target.removesuffix("_cod")
    else:
        pay_order(order.user_id, order.id, PayMethod.BALANCE)
    if target == "paid":
        return
    courier = rng.choice(COURIERS)
    tracking = f"{courier}{rng.randint(10**11, 10**12 - 1)}"
    if target == "partly_shipped":
        first = order.items[0]
        fulfilment.ship(order.id, [{"courier_code": courier, "tracking_no": tracking,
                                    "lines": [{"order_item_id": first.id, "quantity": first.quantity}]}], owner)
        return
    fulfilment.ship_all(order.id, courier, tracking, owner)
    if target == "completed":
        fulfilment.confirm_receipt(order.id, shopper(order.user_id))


def _backdate(order: Order, days_ago: int, rng: random.Random) -> None:
    """Move the order's times back by `days_ago` days (keeping their order), so the demo
    has history; an order left awaiting shipment for days shows as overdue. (Computed in
    Python: SQLite cannot subtract an interval from a DATETIME column.)"""
    if days_ago == 0:
        return
    shift = timedelta(days=days_ago, hours=rng.randint(0, 5), minutes=rng.randint(0, 59))
    db.session.flush()
    db.session.refresh(order)
    for column in ("created_at", "pay_deadline", "paid_at", "shipped_at", "auto_receive_at", "completed_at",
                   "cancelled_at", "closed_at"):
        if getattr(order, column) is not None:
            setattr(order, column, getattr(order, column) - shift)
    related = [*db.session.scalars(select(OrderLog).where(OrderLog.order_id == order.id)),
               *db.session.scalars(select(Parcel).where(Parcel.order_id == order.id))]
    for row in related:
        for column in ("created_at", "shipped_at"):
            if getattr(row, column, None) is not None:
                setattr(row, column, getattr(row, column) - shift)
    db.session.flush()
