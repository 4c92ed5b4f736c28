"""Demo points: the points rules and sign-in rules, a few weeks of sign-ins by the demo
shoppers (one with a broken streak), some points to spend, and an order that spent points,
placed and paid through the real checkout. Safe to run twice: rules already saved are left
as the merchant set them, sign-ins are unique per day, the order has a fixed idempotency key."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.accounts.models import User
from app.audit.services import SYSTEM
from app.catalog.models import Product, Sku
from app.core.models import utcnow
from app.extensions import db
from app.marketing import points_rules, sign_in
from app.marketing.points_models import RULES_ID, SignInRules
from app.members.models import WalletChange
from app.members.services import change_points
from app.orders.checkout import CheckoutRequest, place_order
from app.orders.payment import pay_order
from app.orders.states import OrderStatus

SIGN_IN_DAYS = (12, 6, 3, 0)  # days signed in a row up to today, per demo shopper (0: none)
DEMO_POINTS = 3000


def seed_points(shoppers: int = 4) -> list[str]:
    if db.session.get(points_rules.PointsRules, RULES_ID) is None:
        points_rules.update(SYSTEM, {**points_rules.snapshot(points_rules.defaults()), "deduction_enabled": True,
                                     "earning_enabled": True})
    if db.session.get(SignInRules, RULES_ID) is None:
        sign_in.save_rules(SYSTEM, enabled=True, base_points=5,
                           streak_rewards=[{"day": 3, "points": 5}, {"day": 7, "points": 20}])
    users = list(db.session.scalars(select(User).where(User.is_test.is_(True)).order_by(User.id).limit(shoppers)))
    if not users:
        return ["points: skipped (no demo shoppers)"]
    now = utcnow()
    signed = 0
    for user, streak in zip(users, SIGN_IN_DAYS, strict=False):
        change_points(user.id, DEMO_POINTS, kind=WalletChange.DEMO_TOP_UP, ref=f"demo-points-{user.id}",
                      reason="演示积分")
        days = list(range(streak - 1, -1, -1))
        if streak >= 6:  # an older streak, broken two days before this one began
            days = [streak + 4, streak + 3, streak + 2, *days]
        for days_ago in days:
            signed += sign_in.sign_in(user.id, now - timedelta(days=days_ago))[1]
    db.session.commit()
    order = _order_spending_points(users[0])
    return [f"points: rules, {signed} sign-in(s), {len(users)} shopper(s) with points, "
            f"order {order or 'skipped (no stock)'} spent points"]


def _order_spending_points(user: User) -> str | None:
    sku = db.session.scalar(select(Sku).join(Product, Product.id == Sku.product_id)
                            .where(Product.is_on_shelf.is_(True), Product.deleted_at.is_(None), Sku.stock >= 5,
                                   Sku.price_fen >= 2000).order_by(Sku.id).limit(1))
    if sku is None:
        return None
    order, _created = place_order(user.id, CheckoutRequest(lines=[(sku.id, 1)], points=1000, best_coupon=False),
                                  "demo-points-order-1")
    db.session.commit()
    if order.status == OrderStatus.PENDING_PAYMENT:
        pay_order(user.id, order.id, "balance")
        db.session.commit()
    return order.order_no
