"""Demo coupons: one template of each kind (and a category-scoped one), a new-user gift pack,
demo shoppers holding claimed coupons, and an order that used one, placed and paid through the
real checkout. Safe to run twice: templates are found by name, gifts by their (source, ref),
the order by its idempotency key."""

from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import User
from app.audit.services import SYSTEM
from app.catalog.models import Category, Product, Sku
from app.core.errors import DomainError
from app.extensions import db
from app.marketing.coupon_grants import grant
from app.marketing.coupon_models import CouponSettings, CouponSource, CouponTemplate
from app.marketing.coupon_settings import save_coupon_settings
from app.orders.checkout import CheckoutRequest, order_by_key, place_order
from app.orders.payment import pay_order
from app.orders.states import PayMethod

ORDER_KEY = "demo-coupon-order"


def _template(name: str, **fields) -> CouponTemplate:
    row = db.session.scalar(select(CouponTemplate).where(CouponTemplate.name == name))
    if row is None:
        row = CouponTemplate(name=name, issued=0, used=0, expired=0, revoked=0,
                             **{"validity": "days", "valid_days": 30, "scope": "all", "product_ids": [],
                                "category_ids": [], **fields})
        db.session.add(row)
        db.session.flush()
    return row


def seed_coupons(shoppers: int = 5) -> list[str]:
    category_id = db.session.scalar(select(Category.id).join(Product, Product.category_id == Category.id)
                                    .order_by(Category.id).limit(1))
    over_199 = _template("满199减20", kind="amount_off", threshold_fen=19_900, amount_fen=2000, in_centre=True,
                         centre_sort=1, total=1000, per_user_limit=1)
    rate = _template("全场9折", kind="rate_off", rate_bp=9000, cap_fen=5000, in_centre=True, centre_sort=2,
                     per_user_limit=2, per_user_daily_limit=1, stacks_with_full_reduction=False)
    five = _template("无门槛5元", kind="no_threshold", amount_fen=500, in_centre=True, centre_sort=3, points_price=200)
    welcome = _template("新人专享满50减10", kind="amount_off", threshold_fen=5000, amount_fen=1000, valid_days=7)
    if category_id is not None:
        _template("分类满100减15", kind="amount_off", threshold_fen=10_000, amount_fen=1500, in_centre=True,
                  centre_sort=4, scope="categories", category_ids=[category_id])
    if db.session.get(CouponSettings, 1) is None:
        save_coupon_settings(SYSTEM, {"new_user_template_ids": [welcome.id, five.id]})
    users = list(db.session.scalars(select(User).where(User.is_test.is_(True)).order_by(User.id).limit(shoppers)))
    given = 0
    for user in users:
        for template in (over_199, rate, welcome):
            try:
                grant(user.id, template.id, source=CouponSource.CENTRE, ref=f"demo:{template.id}:{user.id}")
                given += 1
            except DomainError:
                continue
    used = _order_with_coupon(users[0], over_199) if users else None
    db.session.flush()
    return [f"coupons: {len(db.session.scalars(select(CouponTemplate.id)).all())} templates, {given} given"
            + (f", order {used} used one" if used else "")]


def _order_with_coupon(user: User, template: CouponTemplate) -> str | None:
    """An order over the 满199 threshold, with the best coupon, paid from the demo balance."""
    existing = order_by_key(user.id, ORDER_KEY)
    if existing is not None:
        return existing.order_no
    sku = db.session.scalar(select(Sku).join(Product, Product.id == Sku.product_id)
                            .where(Product.is_on_shelf.is_(True), Product.deleted_at.is_(None), Sku.stock >= 20,
                                   Sku.price_fen > 0).order_by(Sku.price_fen.desc(), Sku.id).limit(1))
    if sku is None:
        return None
    quantity = min(10, -(-template.threshold_fen // sku.price_fen))
    try:
        order, _new = place_order(user.id, CheckoutRequest(lines=[(sku.id, quantity)]), ORDER_KEY)
        pay_order(user.id, order.id, PayMethod.BALANCE)
    except DomainError:
        return None
    return order.order_no
