"""Full-reduction at checkout (pricing step 20): the threshold edge, count tiers, the best tier
only, 满折 rounding, each scope, free shipping, several activities on one cart, the member
discount first, each item's share and commission base, and what an after-sale refund gives back."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.audit.services import SYSTEM
from app.distribution.accrual import base_of
from app.distribution.settings import for_accrual
from app.extensions import db
from app.members.models import MemberLevel, Wallet
from app.orders import after_sales
from app.orders.after_sales import Application
from app.orders.models import AfterSale, OrderItem
from app.shipping import services as shipping
from tests import factories
from tests.checkout_helpers import Shopper, goods
from tests.full_reduction_helpers import activity, tier


def _preview(shopper: Shopper, *lines) -> dict:
    answer = shopper.post("/orders/preview", {"lines": [{"sku_id": sku.id, "quantity": n} for sku, n in lines]})
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()


def _off(preview: dict) -> int:
    return sum(d["amount_fen"] for d in preview["discounts"] if d["kind"] == "full_reduction")


def _template(first_fee_fen: int) -> int:
    template = shipping.create_template(SYSTEM, {
        "name": "快递", "method": "count",
        "default": {"first_amount": 1, "first_fee_fen": first_fee_fen, "additional_amount": 1,
                    "additional_fee_fen": 0}, "region_rules": [], "free_rules": []})
    db.session.commit()
    return template.id


@pytest.mark.parametrize("basis, tiers, price_fen, quantity, off, label, hint", [
    # at exactly the threshold, and one fen below
    ("amount", [tier(19900, 2000)], 19900, 1, 2000, "满199减20", "已减20"),
    ("amount", [tier(19900, 2000)], 19899, 1, 0, "满199减20", "再买¥0.01减20"),
    ("amount", [tier(19900, 2000)], 8400, 2, 0, "满199减20", "再买¥31减20"),
    # the best tier only, and the next one announced
    ("amount", [tier(9900, 1000), tier(19900, 3000)], 10000, 2, 3000, "满199减30", "已减30"),
    ("amount", [tier(9900, 1000), tier(19900, 3000)], 5000, 2, 1000, "满99减10", "已减10，再买¥99减30"),
    # count tiers, 满折 rounded down (the discount, so the shopper never pays a fen too little)
    ("count", [tier(3, rate=8000)], 1000, 3, 600, "满3件打8折", "已打8折"),
    ("count", [tier(3, rate=8000)], 1000, 2, 0, "满3件打8折", "再买1件打8折"),
    ("count", [tier(1, rate=9500)], 1999, 1, 99, "满1件打9.5折", "已打9.5折"),
    # the tier saving most, not the higher one: 7.5折 of 16.65 saves 4.16, less than 5
    ("count", [tier(2, 500), tier(4, rate=7500)], 333, 5, 500, "满2件减5", "已减5"),
    ("count", [tier(2, 500), tier(4, rate=7500)], 333, 8, 666, "满4件打7.5折", "已打7.5折"),
])
def test_tiers_by_amount_and_count(client, basis, tiers, price_fen, quantity, off, label, hint):
    activity(*tiers, basis=basis)
    shopper = Shopper(client)
    preview = _preview(shopper, (goods(price_fen=price_fen).skus[0], quantity))
    assert _off(preview) == off
    assert preview["payable_fen"] == price_fen * quantity - off
    assert preview["promotions"] == [{"kind": "full_reduction", "label": label, "hint": hint}]
    if off:
        assert preview["discounts"] == [{"kind": "full_reduction", "label": label, "amount_fen": off, "points": 0}]


def test_each_scope_counts_only_its_lines(client):
    top = factories.category()
    child = factories.category(parent=top)
    in_child = factories.product(child, price_fen=6000)
    elsewhere = goods(price_fen=6000)
    shopper = Shopper(client)
    lines = [(in_child.skus[0], 1), (elsewhere.skus[0], 1)]
    by_product = activity(tier(5000, 500), scope="products", scope_ids=[elsewhere.id])
    preview = _preview(shopper, *lines)
    assert [[part["ref"] for part in line["discount_parts"]] for line in preview["lines"]] == [[], [str(by_product.id)]]
    by_product.is_enabled = False
    by_category = activity(tier(5000, 700), scope="categories", scope_ids=[top.id])  # its child counts
    preview = _preview(shopper, *lines)
    assert [line["discount_fen"] for line in preview["lines"]] == [700, 0]
    by_category.is_enabled = False
    db.session.commit()
    activity(tier(5000, 900), scope="except_products", scope_ids=[in_child.id])
    preview = _preview(shopper, *lines)
    assert [line["discount_fen"] for line in preview["lines"]] == [0, 900]


def test_a_scope_below_its_threshold_does_not_borrow_other_lines(client):
    chosen = goods(price_fen=4000)
    activity(tier(5000, 500), scope="products", scope_ids=[chosen.id])
    preview = _preview(Shopper(client), (chosen.skus[0], 1), (goods(price_fen=9000).skus[0], 1))
    assert _off(preview) == 0 and preview["promotions"][0]["hint"] == "再买¥10减5"


def test_free_shipping_waives_the_freight_and_only_then(client):
    activity(tier(10000, free_shipping=True))
    shopper = Shopper(client)
    shopper.add_address()
    sku = goods(price_fen=5000, shipping_template_id=_template(800)).skus[0]
    below = _preview(shopper, (sku, 1))
    assert (below["freight_fen"], below["freight_waived_by"], below["payable_fen"]) == (800, "", 5800)
    assert below["promotions"][0]["hint"] == "再买¥50包邮"
    reached = _preview(shopper, (sku, 2))
    assert (reached["freight_fen"], reached["freight_waived_by"], reached["payable_fen"]) == (0, "满100包邮", 10000)
    assert reached["discounts"] == []


def test_an_amount_off_leaves_the_freight_alone(client):
    activity(tier(10000, 1000))
    shopper = Shopper(client)
    shopper.add_address()
    preview = _preview(shopper, (goods(price_fen=10000, shipping_template_id=_template(800)).skus[0], 1))
    assert (preview["freight_fen"], _off(preview), preview["payable_fen"]) == (800, 1000, 9800)


def test_a_line_joins_only_the_activity_saving_most(client):
    shoes, shirt = goods(price_fen=10000), goods(price_fen=10000)
    whole_shop = activity(tier(20000, 1500))
    shoes_only = activity(tier(10000, 2000), scope="products", scope_ids=[shoes.id])
    preview = _preview(Shopper(client), (shoes.skus[0], 1), (shirt.skus[0], 1))
    # the shoes' 20 beats the shop's 15 over both; the shirt alone (100) no longer reaches 200
    assert [d["amount_fen"] for d in preview["discounts"]] == [2000]
    assert [[part["ref"] for part in line["discount_parts"]] for line in preview["lines"]] == [
        [str(shoes_only.id)], []]
    assert preview["promotions"] == [
        {"kind": "full_reduction", "label": "满200减15", "hint": "再买¥100减15"},
        {"kind": "full_reduction", "label": "满100减20", "hint": "已减20"}]
    assert whole_shop.id < shoes_only.id


def test_two_activities_on_separate_lines_both_apply(client):
    shoes, shirt = goods(price_fen=10000), goods(price_fen=6000)
    activity(tier(10000, 1000), scope="products", scope_ids=[shoes.id])
    activity(tier(2, rate=9000), basis="count", scope="products", scope_ids=[shirt.id])
    preview = _preview(Shopper(client), (shoes.skus[0], 1), (shirt.skus[0], 2))
    assert sorted(d["amount_fen"] for d in preview["discounts"]) == [1000, 1200]
    assert [line["discount_fen"] for line in preview["lines"]] == [1000, 1200]


def test_activities_outside_their_window_or_disabled_do_nothing(client):
    activity(tier(100, 50), started_ago=timedelta(days=-1))  # starts tomorrow
    activity(tier(100, 50), started_ago=timedelta(days=8))  # ended yesterday
    activity(tier(100, 50), enabled=False)
    preview = _preview(Shopper(client), (goods(price_fen=1000).skus[0], 1))
    assert preview["discounts"] == [] and preview["promotions"] == []


def test_the_member_discount_comes_first_and_the_threshold_counts_what_is_left(client):
    activity(tier(19900, 2000))
    shopper = Shopper(client)
    level = MemberLevel(name="金卡", discount_bp=9500)
    db.session.add(level)
    db.session.flush()
    db.session.add(Wallet(user_id=shopper.id, balance_fen=0, points=0, total_spent_fen=0, level_id=level.id))
    db.session.commit()
    below = _preview(shopper, (goods(price_fen=20000).skus[0], 1))  # 190 after the member price
    assert [d["kind"] for d in below["discounts"]] == ["member_level"]
    assert below["promotions"][0]["hint"] == "再买¥9减20"
    reached = _preview(shopper, (goods(price_fen=21000).skus[0], 1))  # 199.50 after it
    assert [(d["kind"], d["amount_fen"]) for d in reached["discounts"]] == [("member_level", 1050),
                                                                          ("full_reduction", 2000)]
    assert reached["payable_fen"] == 21000 - 1050 - 2000


def test_each_item_keeps_its_share_its_commission_base_and_a_refund_gives_back_at_most_what_it_paid(client):
    promotion = activity(tier(10000, 1001))
    shopper = Shopper(client)
    shopper.add_address()
    first, second = goods(price_fen=3333).skus[0], goods(price_fen=6667).skus[0]
    answer = shopper.place([(first, 1), (second, 1)])
    assert answer.status_code == 201, answer.get_json()
    order = answer.get_json()
    assert [item["discount_parts"] for item in order["items"]] == [
        [{"kind": "full_reduction", "ref": str(promotion.id), "amount_fen": 334}],
        [{"kind": "full_reduction", "ref": str(promotion.id), "amount_fen": 667}]]
    assert order["discounts"][0]["label"] == "满100减10.01" and order["payable_fen"] == 10000 - 1001
    items = db.session.scalars(select(OrderItem).where(OrderItem.order_id == order["id"])
                               .order_by(OrderItem.id)).all()
    assert [item.paid_fen for item in items] == [2999, 6000]
    settings = for_accrual()
    assert [base_of(item, settings) for item in items] == [2999, 6000]
    # when the order is paid and the shopper asks for the first item's money back
    from app.orders.models import Order
    row = db.session.get(Order, order["id"])
    row.status = "paid"
    db.session.commit()
    refund = after_sales.request_after_sale(shopper.id, Application(
        order_item_id=items[0].id, kind="refund_only", quantity=1, reason="不想要了"))
    db.session.commit()
    assert db.session.get(AfterSale, refund.id).amount_fen == 2999
