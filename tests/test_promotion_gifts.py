"""What an order or a member level gives besides a price cut: a full-reduction tier's points
and coupon (given when the order completes, taken back when it is refunded in full) and a
member level's monthly coupon (once a month, whatever the job's retries)."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.marketing import jobs, level_coupons
from app.marketing.coupon_models import Coupon, CouponSource, CouponStatus
from app.members.models import MemberLevel, Wallet
from tests import factories
from tests.coupon_helpers import template
from tests.full_reduction_helpers import activity, tier
from tests.points_helpers import complete, holder, pay, place, points, refund, skus


def _coupons(user_id: int, source: str) -> list[Coupon]:
    db.session.expire_all()
    return list(db.session.scalars(select(Coupon).where(Coupon.user_id == user_id, Coupon.source == source)))


def test_a_tiers_points_and_coupon_come_with_the_completed_order_and_go_with_its_full_refund(app):
    gift = template("no_threshold", amount_fen=500, name="回购券")
    reward = tier(9900, 1000, points=100)
    activity({**reward, "gift_coupon_template_id": gift.id})
    shopper = holder()
    (sku,) = skus(10_000)
    order = pay(place(shopper, [(sku, 1)]))
    assert [(g["kind"], g.get("points"), g.get("template_id")) for g in order.gifts] == \
        [("points", 100, None), ("coupon", None, gift.id)]
    assert points(shopper) == 0 and _coupons(shopper.id, CouponSource.FULL_REDUCTION) == []  # not before completion

    complete(order)
    assert points(shopper) == 100
    (given,) = _coupons(shopper.id, CouponSource.FULL_REDUCTION)
    assert given.template_id == gift.id and given.status == CouponStatus.UNUSED

    refund(order)
    assert points(shopper) == 0
    (taken,) = _coupons(shopper.id, CouponSource.FULL_REDUCTION)
    assert taken.status != CouponStatus.UNUSED


def test_an_order_below_the_tier_earns_nothing(app):
    activity(tier(9900, 1000, points=100))
    shopper = holder()
    (sku,) = skus(5000)
    order = pay(place(shopper, [(sku, 1)]))
    complete(order)
    assert order.gifts is None and points(shopper) == 0


def test_a_levels_monthly_coupon_reaches_each_member_once_a_month(app):
    monthly = template("no_threshold", amount_fen=300, name="金卡月券")
    gold = MemberLevel(name="金卡", discount_bp=10_000, monthly_coupon_template_id=monthly.id)
    db.session.add(gold)
    db.session.flush()
    members = [factories.shopper() for _ in range(3)]
    outsider = factories.shopper()
    for member in members:
        db.session.add(Wallet(user_id=member.id, balance_fen=0, points=0, growth=0, level_id=gold.id))
    db.session.commit()

    jobs.grant_level_coupons()
    jobs.grant_level_coupons()  # the daily trigger again, and a chunk run twice: nobody gets a second
    jobs.grant_level_coupons(level_coupons.this_month(), gold.id, 0)

    for member in members:
        (coupon,) = _coupons(member.id, CouponSource.LEVEL_MONTHLY)
        assert coupon.template_id == monthly.id and coupon.ref == f"{level_coupons.this_month()}:{member.id}"
    assert _coupons(outsider.id, CouponSource.LEVEL_MONTHLY) == []
