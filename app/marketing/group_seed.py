"""Demo group buy: a three-person group for a product, opened by one demo shopper and joined by
a second, so the storefront has an open group with one seat left. Until activity orders are
wired in (the activity-order foundation), the demo orders are placed at the SKU's price through
the normal checkout, paid from the demo balance, and seated by the activity's paid hook."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.accounts.models import User
from app.catalog.models import Product, Sku
from app.core.models import utcnow
from app.extensions import db
from app.marketing.group_models import GroupActivity
from app.marketing.group_seats import member_of, seat_paid
from app.orders.checkout import CheckoutRequest, order_by_key, place_order
from app.orders.payment import pay_order
from app.orders.states import OrderStatus

NAME = "三人拼团"


def seed_group_buy() -> list[str]:
    """Create the demo activity and its open group, once (safe to run again)."""
    if db.session.scalar(select(GroupActivity.id).where(GroupActivity.name == NAME)):
        return ["group buy: already seeded"]
    users = list(db.session.scalars(select(User).where(User.is_test.is_(True)).order_by(User.id).limit(2)))
    sku = db.session.scalar(select(Sku).join(Product, Product.id == Sku.product_id)
                            .where(Product.is_on_shelf.is_(True), Product.deleted_at.is_(None), Sku.stock >= 50)
                            .order_by(Sku.id).limit(1))
    if len(users) < 2 or sku is None:
        return ["group buy: skipped (no demo shoppers or products)"]
    now = utcnow()
    activity = GroupActivity(name=NAME, product_id=sku.product_id, sku_id=sku.id,
                             group_price_fen=sku.price_fen * 8 // 10, leader_price_fen=sku.price_fen * 7 // 10,
                             group_size=3, time_limit_hours=24, per_shopper_limit=2,
                             starts_at=now - timedelta(days=1), ends_at=now + timedelta(days=30))
    db.session.add(activity)
    db.session.flush()
    group_id = None
    for index, user in enumerate(users):
        ref = str(activity.id) if group_id is None else f"{activity.id}:{group_id}"
        order = _paid_order(user.id, sku.id, f"demo-group-{activity.id}-{index}")
        group_id = (member_of(order.id) or seat_paid(order, ref)).group_id
    db.session.flush()
    return [f"group buy: activity {NAME} with an open group of 2 of 3 (group {group_id})"]


def _paid_order(user_id: int, sku_id: int, key: str):
    order = order_by_key(user_id, key)
    if order is None:
        order, _new = place_order(user_id, CheckoutRequest(lines=[(sku_id, 1)], best_coupon=False), key)
    if order.status == OrderStatus.PENDING_PAYMENT:
        pay_order(user_id, order.id, "balance")
    return order
