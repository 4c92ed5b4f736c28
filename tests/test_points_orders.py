"""Points at checkout: priced by the rules (capped, never refused), taken when the order is
placed, given back when it closes unpaid or is refunded (proportionally, the sum exact)."""

from __future__ import annotations

import itertools

import pytest

from app.extensions import db
from app.members.models import PointsEntry
from app.orders.closing import close_unpaid_order
from app.orders.models import Order
from app.orders.pricing import PricingOptions, quote
from tests.points_helpers import BY, holder, ledger_sum, order_points, pay, place, points, refund, rules, skus


@pytest.mark.parametrize(("rule", "prices", "held", "asked", "used", "saving", "note"), [
    # 100 points = ¥1, up to 50% of ¥100 goods: asking 3000 of 10000 held takes ¥30
    ({}, [10_000], 10_000, 3_000, 3_000, 3_000, ""),
    # the cap: 50% of the goods
    ({}, [10_000], 10_000, 9_999, 5_000, 5_000, ""),
    # more than held is capped by the balance
    ({}, [10_000], 1_200, 4_000, 1_200, 1_200, ""),
    # granularity: at 1000 points = ¥1 only tens of points spend (10 points = 1 fen)
    ({"points_per_yuan": 1000}, [10_000], 10_000, 1_239, 1_230, 123, ""),
    # at 30 points = ¥1, threes (3 points = 10 fen), and never more than the cap in fen
    ({"points_per_yuan": 30, "max_deduction_percent": 1}, [10_000], 1_000, 1_000, 30, 100, ""),
    # below the minimum order: nothing, with a note
    ({"min_order_fen": 10_001}, [10_000], 10_000, 1_000, 0, 0, "商品满¥100.01可使用积分。"),
    # exactly at the minimum: usable
    ({"min_order_fen": 10_000}, [10_000], 10_000, 1_000, 1_000, 1_000, ""),
    # several lines: the cap is over all the goods
    ({"max_deduction_percent": 10}, [1_000, 2_999], 10_000, 10_000, 399, 399, ""),
    # nothing held
    ({}, [10_000], 0, 500, 0, 0, "暂无可用积分。"),
])
def test_points_pricing_cases(app, rule, prices, held, asked, used, saving, note):
    rules(**rule)
    user = holder(held)
    result = quote(user.id, [(sku.id, 1) for sku in skus(*prices)], None, PricingOptions(points=asked))
    offer = result.offers["points"]
    assert (offer["points_used"], offer["saving_fen"], offer["note"]) == (used, saving, note)
    assert offer["balance"] == held
    assert result.payable_fen == sum(prices) - saving
    spent = [part.get("points", 0) for line in result.lines for part in line.parts if part["kind"] == "points"]
    assert sum(spent) == used
    assert sum(part["amount_fen"] for line in result.lines for part in line.parts if part["kind"] == "points") \
        == saving


def test_points_come_off_what_the_member_price_left(app):
    from app.members.models import MemberLevel, Wallet
    rules(max_deduction_percent=100)
    user = holder(100_000)
    level = MemberLevel(name="金卡", discount_bp=9000, benefits="")
    db.session.add(level)
    db.session.flush()
    db.session.get(Wallet, user.id).level_id = level.id
    db.session.commit()
    result = quote(user.id, [(skus(10_000)[0].id, 1)], None, PricingOptions(points=100_000))
    assert [discount.kind for discount in result.discounts] == ["member_level", "points"]
    assert result.offers["points"]["points_used"] == 9_000 and result.payable_fen == 0


def test_switched_off_points_offer_nothing(app):
    user = holder(10_000)
    result = quote(user.id, [(skus(10_000)[0].id, 1)], None, PricingOptions(points=1000))
    assert result.offers["points"] is None and result.discounts == []


def test_placing_takes_the_points_and_closing_unpaid_gives_them_all_back(app):
    rules()
    user = holder(5_000)
    order = place(user, [(sku, 1) for sku in skus(3_000, 7_000)], points=2_000)
    assert order.discount_fen == 2_000 and points(user) == 3_000
    assert close_unpaid_order(order.id, BY, "shopper").value == "closed"
    db.session.commit()
    assert points(user) == 5_000 == ledger_sum(user)
    kinds = [entry.kind for entry in db.session.query(PointsEntry).filter_by(user_id=user.id).order_by(PointsEntry.id)]
    assert kinds == ["admin_adjust", "order_points_spent", "order_points_returned"]
    close_unpaid_order(order.id, BY, "shopper")  # again: nothing more
    db.session.commit()
    assert points(user) == 5_000


def test_partial_refunds_give_back_the_item_share_exactly_once(app):
    rules(max_deduction_percent=100)
    user = holder(10_000)
    first, second = skus(1_000, 2_000)
    order = place(user, [(first, 3), (second, 1)], points=1_001)  # shares 600 and 401 of the 1001 points
    pay(order)
    item = order.items[0]
    item_points = sum(part.get("points", 0) for part in item.discount_parts if part["kind"] == "points")
    assert points(user) == 10_000 - 1_001
    returned = []
    for _unit in range(3):
        refund(db.session.get(Order, order.id), 0)
        returned.append(points(user))
    steps = [after - before for before, after in itertools.pairwise([10_000 - 1_001, *returned])]
    assert sum(steps) == item_points and all(step >= 0 for step in steps)
    assert order_points(order).returned == item_points
    refund(db.session.get(Order, order.id), 1)  # the last unit: the order closes, everything is back
    assert points(user) == 10_000 == ledger_sum(user)
    assert order_points(order).returned == 1_001


def test_not_enough_points_at_placing_refuses_the_order_and_writes_nothing(app):
    from app.core.errors import Conflict
    from app.orders import checkout
    rules()
    user = holder(1_000)
    sku = skus(10_000)[0]
    request = checkout.CheckoutRequest(lines=[(sku.id, 1)], points=1_000)
    # priced while the shopper held 1000; by the time the order is written they hold 400
    original = checkout.quote

    def quote_then_spend(*args, **kwargs):
        result = original(*args, **kwargs)
        from app.members.services import change_points
        change_points(user.id, -600, kind="admin_adjust", ref="spent-elsewhere", reason="x")
        return result

    checkout.quote = quote_then_spend
    try:
        with pytest.raises(Conflict) as refused:
            checkout.place_order(user.id, request, "key-not-enough-1")
    finally:
        checkout.quote = original
    db.session.rollback()
    assert refused.value.code == "points_not_enough"
    assert points(user) == 1_000 and db.session.query(Order).count() == 0


@pytest.mark.parametrize(("count_as_paid", "base"), [(False, 7_000), (True, 10_000)])
def test_commission_base_counts_points_as_a_discount_unless_set_as_paid(app, count_as_paid, base):
    from app.distribution import jobs
    from app.distribution.explain import explain
    from tests.distribution_helpers import agent, bind, configure, lines_of
    configure(enabled=True, levels=1, rate1_bp=1000)
    rules(count_as_paid=count_as_paid)
    referrer = agent()
    user = holder(3_000)
    assert bind(user, referrer).result == "bound"
    order = pay(place(user, [(skus(10_000)[0], 1)], points=3_000))
    jobs.accrue_commissions(order.id)
    db.session.commit()
    (line,) = [line for line in lines_of(order) if line.level == 1]
    assert (line.base_fen, line.amount_fen) == (base, base // 10)
    (item,) = explain(order.id)
    assert item["points_counted_as_paid"] is count_as_paid
    assert [(part["kind"], part["amount_fen"], part["points"]) for part in item["discounts"]] == [
        ("points", 3_000, 3_000)]
