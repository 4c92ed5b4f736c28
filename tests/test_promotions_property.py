"""Random carts through every promotion at once — a member level, a full-reduction activity, a
coupon of a random kind and points — then closed unpaid, or paid and refunded unit by unit:
every fen of every discount is shared to an item (each discount's parts add up to it, no item
below zero), the coupon moves locked → used (or back to unused when the order closes unpaid or
comes back whole before shipping), and the points spent all come back exactly once — an item
points paid in full (¥0 in cash) is refunded for ¥0 unit by unit, its points back by units."""

from __future__ import annotations

from collections import defaultdict

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.errors import Conflict
from app.extensions import db
from app.marketing.coupon_models import CouponStatus
from app.members.models import MemberLevel, Wallet
from app.orders import after_sales, checkout
from app.orders.closing import close_unpaid_order
from app.orders.models import AfterSale, Order
from tests.coupon_helpers import fresh_coupon, give, template
from tests.full_reduction_helpers import activity, tier
from tests.pay_helpers import fresh
from tests.points_helpers import BY, holder, ledger_sum, order_points, pay, points, refund, rules, skus

carts = st.lists(st.tuples(st.integers(1, 30_000), st.integers(1, 3)), min_size=1, max_size=3)
coupons = st.sampled_from([("amount_off", {"threshold_fen": 10_000, "amount_fen": 1500}),
                           ("rate_off", {"rate_bp": 8500, "cap_fen": 3000}),
                           ("no_threshold", {"amount_fen": 777}), None])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cart=carts, level_bp=st.sampled_from([10_000, 9500, 8800]), reduction=st.booleans(), coupon=coupons,
       held=st.integers(0, 20_000), asked=st.integers(0, 30_000), close=st.booleans(), refund_all=st.booleans(),
       deduction=st.sampled_from([50, 100]))
def test_every_discount_is_shared_exactly_and_comes_back_once(app, cart, level_bp, reduction, coupon, held, asked,
                                                             close, refund_all, deduction):
    rules(points_per_yuan=100, max_deduction_percent=deduction)
    user = holder(held)
    if level_bp < 10_000:
        level = MemberLevel(name=f"会员{user.id}", discount_bp=level_bp)
        db.session.add(level)
        db.session.flush()
        db.session.get(Wallet, user.id).level_id = level.id
        db.session.commit()
    if reduction:
        activity(tier(9900, 1000), tier(29_900, rate=9000))
    held_coupon = None
    if coupon is not None:
        kind, fields = coupon
        held_coupon = give(user.id, template(kind, stacks_with_full_reduction=True, **fields))
    lines = [(sku, quantity) for sku, (_price, quantity) in zip(skus(*(p for p, _q in cart)), cart, strict=True)]
    order, _created = checkout.place_order(user.id, checkout.CheckoutRequest(lines=[(s.id, q) for s, q in lines],
                                                                             points=asked), f"property-order-{user.id}")
    db.session.commit()

    shares: dict[tuple[str, str], int] = defaultdict(int)
    for item in order.items:
        assert item.paid_fen == item.line_total_fen - item.discount_fen >= 0
        assert sum(part["amount_fen"] for part in item.discount_parts or []) == item.discount_fen
        for part in item.discount_parts or []:
            shares[(part["kind"], part["ref"])] += part["amount_fen"]
    assert dict(shares) == {(d["kind"], d["ref"]): d["amount_fen"] for d in order.discounts}
    assert order.payable_fen == order.items_total_fen + order.freight_fen - order.discount_fen
    spent = sum(d.get("points", 0) for d in order.discounts)
    assert points(user) == held - spent == ledger_sum(user)
    used = [d for d in order.discounts if d["kind"] == "coupon"]
    if held_coupon is not None:
        assert fresh_coupon(held_coupon.id).status == (CouponStatus.LOCKED if used else CouponStatus.UNUSED)

    if close:
        close_unpaid_order(order.id, BY, "shopper")
        db.session.commit()
        assert points(user) == held == ledger_sum(user)
        if held_coupon is not None:
            assert fresh_coupon(held_coupon.id).status == CouponStatus.UNUSED
        return
    pay(order)
    if used:
        assert fresh_coupon(held_coupon.id).status == CouponStatus.USED
    if not refund_all:
        return
    whole = True
    for index, item in enumerate(order.items):
        item_points = after_sales.item_points(item)
        for _unit in range(item.quantity):
            try:
                row = refund(db.session.get(Order, order.id), index)
            except Conflict as refused:  # a unit whose money share is 0, with no points to give back
                assert refused.code == "after_sale_exceeds_item"
                assert item.paid_fen > 0 or item_points == 0  # points paid it all: always refundable
                db.session.rollback()
                whole = False
                break
            assert points(user) == ledger_sum(user) <= held
            if item.paid_fen == 0:
                assert fresh(AfterSale, row.id).amount_fen == 0
        else:
            if item.paid_fen == 0 and item_points:  # every unit refunded for ¥0: all its points are back
                assert order_points(order).returned_by_item[str(item.id)] == item_points
    if whole:
        assert points(user) == held
        if used:
            assert fresh_coupon(held_coupon.id).status == CouponStatus.UNUSED  # returned: the whole order came back
