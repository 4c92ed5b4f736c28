"""Growth (成长值): earned from completed orders and sign-ins, clawed back exactly by refunds,
lifting the member level as it crosses a threshold; the yearly review; what a level gives
(free delivery, the points multiplier); `flask members verify` over the growth ledger."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import update

from app.audit.services import SYSTEM
from app.core.money import BASIS_POINTS
from app.extensions import db
from app.marketing.level_benefits import points_multiplier_bp
from app.members import level_review, verify
from app.members.models import GrowthEntry, Wallet
from app.members.services import LevelFields, save_level, set_level
from tests import factories
from tests.growth_helpers import (
    changes,
    completed_order,
    dated,
    entries,
    growth_of,
    ladder,
    level_of,
    refund,
    rules,
    signed_in,
)


def test_a_completed_order_earns_growth_per_whole_yuan_of_its_goods(app):
    # given 2 growth per yuan
    rules(per_yuan=2)
    buyer = factories.shopper()
    # when an order of ¥100.00 + ¥33.99 completes (freight not counted)
    order = completed_order(buyer, 10_000, 3399)
    # then the buyer earns 133 yuan × 2, once even if the completion is announced again
    assert entries(buyer) == [("order", 266, 266)]
    from app.orders import events
    events.order_completed(order.id)
    db.session.commit()
    assert growth_of(buyer) == 266


def test_partial_refunds_claw_back_in_proportion_and_add_up_to_what_was_earned(app):
    # given an order of ¥100.00 + ¥50.00 + ¥33.33 that earned 183 growth
    rules(per_yuan=1)
    buyer = factories.shopper()
    order = completed_order(buyer, 10_000, 5000, 3333)
    first, second, third = order.items
    assert growth_of(buyer) == 183
    # when its items are refunded one by one (the first in two parts)
    refund(third, 3333, after_sale_id=1)
    assert growth_of(buyer) == 183 * 15_000 // 18_333  # 149: the order keeps its share, rounded down
    refund(second, 5000, after_sale_id=2)
    assert growth_of(buyer) == 183 * 10_000 // 18_333  # 99
    refund(first, 4000, after_sale_id=3, quantity=0)
    refund(first, 6000, after_sale_id=4)
    # then every claw-back is recorded and together they take back exactly what was earned
    assert [delta for kind, delta, _after in entries(buyer) if kind == "refund"] == [-34, -50, -40, -59]
    assert problems_of_growth() == []
    assert growth_of(buyer) == 0
    # and a replayed refund takes nothing more
    from app.orders import events
    events.item_refunded(first.id, 6000, 1, 4)
    db.session.commit()
    assert growth_of(buyer) == 0


def test_a_refund_before_completion_is_settled_when_the_order_completes(app):
    rules(per_yuan=1)
    buyer = factories.shopper()
    lines = [(factories.product(factories.category(), price_fen=10_000, stock=5).skus[0], 1) for _ in range(2)]
    order = factories.order(buyer, lines, status="shipped", pay_method="wechat")
    refund(order.items[0], 10_000, after_sale_id=7)  # nothing earned yet: nothing to claw back
    assert growth_of(buyer) == 0
    from app.orders import events
    db.session.execute(update(type(order)).where(type(order).id == order.id).values(status="completed"))
    events.order_completed(order.id)
    db.session.commit()
    assert entries(buyer) == [("refund", 0, 0), ("order", 200, 200), ("refund", -100, 100)]


def test_a_sign_in_earns_the_configured_growth_once(app):
    rules(per_sign_in=5)
    shopper = factories.shopper()
    signed_in(shopper, 41)
    signed_in(shopper, 41)  # the same sign-in announced twice
    signed_in(shopper, 42)
    assert entries(shopper) == [("sign_in", 5, 5), ("sign_in", 5, 10)]


def test_crossing_a_threshold_upgrades_the_level_and_logs_the_change(app):
    # given 银卡 at 100 growth and 金卡 at 1000, and a level given only by hand
    ladder(银卡=100, 金卡=1000)
    save_level(SYSTEM, None, LevelFields("员工价", None, discount_bp=8000))
    db.session.commit()
    rules(per_yuan=1)
    buyer = factories.shopper()
    # when orders take the buyer past 100, then straight past 1000
    completed_order(buyer, 9900)
    assert level_of(buyer) is None
    completed_order(buyer, 100)
    assert level_of(buyer) == "银卡"
    big = completed_order(buyer, 200_000)
    # then each crossing moved the level, and the log says why
    assert level_of(buyer) == "金卡"
    assert changes(buyer) == [("", "银卡", "growth"), ("银卡", "金卡", "growth")]
    # and a refund takes the growth back but not the level (only the yearly review lowers it)
    refund(big.items[0], 200_000, after_sale_id=1)
    assert (growth_of(buyer), level_of(buyer), len(changes(buyer))) == (100, "金卡", 2)


def test_growth_does_not_move_a_shopper_off_a_level_given_by_hand(app):
    ladder(银卡=100)
    staff_level = save_level(SYSTEM, None, LevelFields("员工价", None, discount_bp=8000))
    db.session.commit()
    rules(per_yuan=1)
    buyer = factories.shopper()
    set_level(SYSTEM, buyer.id, staff_level.id)
    db.session.commit()
    completed_order(buyer, 50_000)
    assert level_of(buyer) == "员工价"
    assert changes(buyer) == [("", "员工价", "merchant")]


def _review_at(beijing: str) -> int:
    return level_review.review(datetime.fromisoformat(beijing) - (datetime.fromisoformat("2000-01-01T08:00")
                                                                  - datetime.fromisoformat("2000-01-01T00:00")))


def test_the_yearly_review_keeps_last_years_growth_and_lowers_the_level_once(app):
    # given the yearly downgrade on, 银卡 at 100 and 金卡 at 1000
    ladder(银卡=100, 金卡=1000)
    rules(per_yuan=1, yearly_downgrade=True)
    loyal, lapsed, fresh = factories.shopper("常客"), factories.shopper("流失"), factories.shopper("新客")
    # a shopper who earned 1200 two years ago and 150 last year (金卡)
    completed_order(lapsed, 120_000)
    dated(lapsed, datetime(2025, 5, 1))
    completed_order(lapsed, 15_000)
    dated_after = datetime(2026, 6, 1)
    db.session.execute(update(GrowthEntry).where(GrowthEntry.user_id == lapsed.id, GrowthEntry.delta == 150)
                       .values(created_at=dated_after))
    # a shopper who earned 1100 last year (金卡)
    completed_order(loyal, 110_000)
    dated(loyal, datetime(2026, 3, 1))
    # and one who earned 300 two years ago and 50 on New Year's Day, before the review ran
    completed_order(fresh, 30_000)
    dated(fresh, datetime(2025, 3, 1))
    completed_order(fresh, 5000)
    assert (level_of(lapsed), level_of(loyal), level_of(fresh)) == ("金卡", "金卡", "银卡")
    # when the review runs on the next year start, twice
    assert _review_at("2027-01-01T00:30") == 3
    assert _review_at("2027-01-01T01:30") == 0
    # then each kept only last year's growth (and what came since), and the levels followed it down once
    assert (growth_of(lapsed), growth_of(loyal), growth_of(fresh)) == (150, 1100, 50)
    assert (level_of(lapsed), level_of(loyal), level_of(fresh)) == ("银卡", "金卡", None)
    assert changes(lapsed)[-1] == ("金卡", "银卡", "yearly_review")
    assert [kind for kind, _delta, _after in entries(lapsed)].count("yearly_expiry") == 1
    assert verify_problems() == []


def test_the_yearly_review_does_nothing_when_off_or_already_done_this_year(app):
    ladder(银卡=100)
    rules(per_yuan=1)
    buyer = factories.shopper()
    completed_order(buyer, 50_000)
    dated(buyer, datetime(2020, 1, 1))
    assert _review_at("2027-01-01T00:30") == 0  # off
    rules(per_yuan=1, yearly_downgrade=True)  # turned on: this year counts as reviewed
    assert _review_at("2026-12-31T23:00") == 0
    assert (growth_of(buyer), level_of(buyer)) == (500, "银卡")


def test_a_free_delivery_level_zeroes_the_freight_of_the_preview(client):
    from app.shipping import services as shipping
    from tests.checkout_helpers import Shopper, goods

    shopper = Shopper(client)
    shopper.add_address()
    template = shipping.create_template(SYSTEM, {
        "name": "快递", "method": "count",
        "default": {"first_amount": 1, "first_fee_fen": 800, "additional_amount": 1, "additional_fee_fen": 0},
        "region_rules": [], "free_rules": []})
    db.session.commit()
    sku = goods(price_fen=5000, shipping_template_id=template.id).skus[0]
    body = {"lines": [{"sku_id": sku.id, "quantity": 1}]}
    assert shopper.post("/orders/preview", body).get_json()["freight_fen"] == 800
    gold = save_level(SYSTEM, None, LevelFields("金卡", 1000, free_shipping=True))
    db.session.commit()
    set_level(SYSTEM, shopper.id, gold.id)
    db.session.commit()
    preview = shopper.post("/orders/preview", body).get_json()
    assert (preview["freight_fen"], preview["freight_waived_by"], preview["payable_fen"]) == (0, "金卡包邮", 5000)


def test_the_points_multiplier_is_the_levels_or_one(app):
    shopper = factories.shopper()
    assert points_multiplier_bp(shopper.id) == BASIS_POINTS
    gold = save_level(SYSTEM, None, LevelFields("金卡", 1000, points_multiplier_bp=15_000))
    db.session.commit()
    set_level(SYSTEM, shopper.id, gold.id)
    db.session.commit()
    assert points_multiplier_bp(shopper.id) == 15_000


def problems_of_growth() -> list[str]:
    return [problem for problem in verify_problems() if "growth" in problem]


def verify_problems() -> list[str]:
    db.session.commit()
    return list(verify.problems())


@pytest.mark.parametrize("tamper", ["wallet", "entry"])
def test_verify_finds_a_tampered_growth_figure(app, tamper):
    rules(per_yuan=1)
    buyer = factories.shopper()
    completed_order(buyer, 10_000)
    signed_in(buyer, 9)
    assert verify_problems() == []
    if tamper == "wallet":
        db.session.execute(update(Wallet).where(Wallet.user_id == buyer.id).values(growth=Wallet.growth + 5))
        expected = f"wallet of user {buyer.id}: growth is 106, its growth entries add up to 101"
    else:
        db.session.execute(update(GrowthEntry).where(GrowthEntry.user_id == buyer.id, GrowthEntry.kind == "sign_in")
                           .values(growth_after=999))
        expected = "growth entry"
    db.session.commit()
    found = verify_problems()
    assert found and all(expected in problem or tamper == "entry" for problem in found)
    assert any(expected in problem for problem in found)


def test_concurrent_refunds_of_one_order_and_its_completion_claw_back_exactly_once(app):
    # given an order of six items of ¥33.33 (199 growth at 1 per yuan), being completed
    import threading

    from app.marketing import member_growth
    from app.orders.models import Order, OrderItem

    rules(per_yuan=1)
    buyer = factories.shopper()
    lines = [(factories.product(factories.category(), price_fen=3333, stock=5).skus[0], 1) for _ in range(6)]
    order = factories.order(buyer, lines, status="completed", pay_method="wechat")
    from app.members.services import wallet_for_update
    wallet_for_update(buyer.id)  # the shopper's wallet exists (its first creation refuses a racer: 409 retry)
    db.session.commit()
    item_ids = [item.id for item in order.items]
    errors: list[str] = []
    barrier = threading.Barrier(len(item_ids) + 1)

    def refund_item(index: int) -> None:
        with app.app_context():
            barrier.wait()
            try:
                item = db.session.get(OrderItem, item_ids[index])
                refund(item, 3333, after_sale_id=100 + index)
            except Exception as exc:  # the test reports whatever went wrong
                db.session.rollback()
                errors.append(repr(exc))

    def complete() -> None:
        with app.app_context():
            barrier.wait()
            try:
                db.session.get(Order, order.id)
                member_growth.earn_from_order(order.id)
                db.session.commit()
            except Exception as exc:
                db.session.rollback()
                errors.append(repr(exc))

    # when every item is refunded while the order completes, all at once
    threads = [threading.Thread(target=refund_item, args=(index,)) for index in range(len(item_ids))]
    threads.append(threading.Thread(target=complete))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # then nothing failed, and the claw-backs took back exactly what was earned
    assert errors == []
    assert growth_of(buyer) == 0
    assert sum(delta for kind, delta, _after in entries(buyer) if kind == "order") == 199
    assert problems_of_growth() == []
