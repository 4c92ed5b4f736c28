"""The coupon step of checkout pricing, table-driven: each kind and scope, the threshold met
exactly, rounding down, the cap, stacking with full-reduction, several items; each item's share
adds up to the coupon, and each item's commission base (its paid amount) is what is left."""

from __future__ import annotations

import pytest

from app.marketing.coupon_pricing import describe
from app.members.models import MemberLevel, Wallet
from app.orders import pricing
from app.orders.pricing import Discount, PricingOptions, Quote
from tests import factories
from tests.checkout_helpers import Shopper, error_code, goods
from tests.coupon_helpers import give, template

full_reduction_off: list[int] = []  # fen a stand-in activity takes off every line, for the stacking cases


@pricing.register_step(20, "test_full_reduction")
def _stand_in_full_reduction(result: Quote) -> None:
    """Stands where the full-reduction step will: what matters to a coupon is that an activity's
    discount is on the quote, and what it left of each line."""
    if full_reduction_off:
        result.add_discount(Discount("full_reduction", "满减", full_reduction_off[0] * len(result.lines)))


@pytest.fixture(autouse=True)
def _no_activity():
    full_reduction_off.clear()
    yield
    full_reduction_off.clear()


@pytest.fixture
def cart(app):
    """A 100.00, two of 50.00, three of 33.33 (299.99 in all), each in its own category."""
    a, b, c = goods(price_fen=10_000, stock=50), goods(price_fen=5_000, stock=50), goods(price_fen=3_333, stock=50)
    return {"a": a, "b": b, "c": c, "lines": [(a.skus[0].id, 1), (b.skus[0].id, 2), (c.skus[0].id, 3)]}


def _scope(cart, scope: str | None, names: str) -> dict:
    if scope is None:
        return {}
    if scope == "categories":
        return {"scope": scope, "category_ids": [cart[name].category_id for name in names]}
    return {"scope": scope, "product_ids": [cart[name].id for name in names]}


CASES = [
    # (case, template fields, (scope, products), coupon's shares per line, or the reason it is not usable)
    ("满减 over the whole shop, by largest remainder", {"kind": "amount_off", "amount_fen": 2000,
                                                     "threshold_fen": 20_000}, (None, ""), [667, 667, 666]),
    ("满减 exactly at the threshold", {"kind": "amount_off", "amount_fen": 1000, "threshold_fen": 29_999},
     (None, ""), [334, 333, 333]),
    ("满减 one fen short of the threshold", {"kind": "amount_off", "amount_fen": 1000, "threshold_fen": 30_000},
     (None, ""), "还差¥0.01"),
    ("折扣 rounds the saving down", {"kind": "rate_off", "rate_bp": 8500}, (None, ""), [1500, 1500, 1499]),
    ("折扣 stops at its cap", {"kind": "rate_off", "rate_bp": 8500, "cap_fen": 1000}, (None, ""), [334, 333, 333]),
    ("无门槛 on chosen products only", {"kind": "no_threshold", "amount_fen": 500}, ("products", "a"),
     [500, 0, 0]),
    ("无门槛 worth more than the goods takes the goods", {"kind": "no_threshold", "amount_fen": 20_000},
     ("products", "c"), [0, 0, 9999]),
    ("满减 on a chosen category", {"kind": "amount_off", "amount_fen": 3000, "threshold_fen": 10_000},
     ("categories", "b"), [0, 3000, 0]),
    ("满减 on all but chosen products, short", {"kind": "amount_off", "amount_fen": 2000, "threshold_fen": 20_000},
     ("except_products", "a"), "还差¥0.01"),
    ("满减 on all but chosen products", {"kind": "amount_off", "amount_fen": 2000, "threshold_fen": 19_900},
     ("except_products", "a"), [0, 1000, 1000]),
    ("no goods in scope", {"kind": "no_threshold", "amount_fen": 500}, ("products", ""), "没有可用此券的商品"),
]


@pytest.mark.parametrize(("case", "fields", "scope", "expected"), CASES, ids=[case[0] for case in CASES])
def test_coupon_shares_over_the_lines_in_scope(cart, case, fields, scope, expected):
    # given a shopper holding one coupon
    shopper = factories.shopper()
    coupon = give(shopper.id, template(**fields, **_scope(cart, *scope)))
    # when the cart is priced with the best coupon
    result = pricing.quote(shopper.id, cart["lines"], None, PricingOptions())
    offer = result.offers["coupons"][0]
    assert offer["id"] == coupon.id
    if isinstance(expected, str):
        # then it is listed as not usable, with the reason, and nothing came off
        assert (offer["usable"], offer["saving_fen"], result.offers["coupon_id"]) == (False, 0, None)
        assert expected in offer["reason"]
        assert result.discount_fen == 0
        return
    # then each line carries its share, the shares add up to the saving, and nothing goes below zero
    shares = [sum(part["amount_fen"] for part in line.parts if part["kind"] == "coupon") for line in result.lines]
    assert shares == expected
    assert offer["usable"] and offer["saving_fen"] == sum(expected) == result.discount_fen
    assert result.offers["coupon_id"] == coupon.id
    assert [d.as_dict() for d in result.discounts] == [
        {"kind": "coupon", "label": coupon.template.name, "amount_fen": sum(expected), "ref": str(coupon.id)}]
    assert all(line.remaining_fen >= 0 for line in result.lines)


@pytest.mark.parametrize(("stacks", "usable"), [(True, True), (False, False)])
def test_a_coupon_stacks_with_full_reduction_only_when_it_says_so(cart, stacks, usable):
    # given an activity taking 10.00 off each line, and a 满200减20 coupon
    full_reduction_off.append(1000)
    shopper = factories.shopper()
    give(shopper.id, template(kind="amount_off", amount_fen=2000, threshold_fen=20_000,
                              stacks_with_full_reduction=stacks))
    result = pricing.quote(shopper.id, cart["lines"], None, PricingOptions())
    offer = result.offers["coupons"][0]
    assert offer["usable"] is usable
    if usable:  # priced on what the activity left: 9000, 9000, 8999
        assert [d.kind for d in result.discounts] == ["full_reduction", "coupon"]
        assert [part["amount_fen"] for line in result.lines for part in line.parts if part["kind"] == "coupon"] \
            == [667, 667, 666]
    else:
        assert "满减" in offer["reason"] and [d.kind for d in result.discounts] == ["full_reduction"]


def test_the_threshold_is_met_by_what_the_member_discount_left(cart):
    # given a 95折 member: 299.99 becomes 284.99 (the member step rounds its 14.99 saving down)
    shopper = factories.shopper()
    level = MemberLevel(name="金卡", discount_bp=9500)
    factories.db.session.add(level)
    factories.db.session.flush()
    factories.db.session.add(Wallet(user_id=shopper.id, balance_fen=0, points=0, total_spent_fen=0,
                                    level_id=level.id))
    factories.db.session.commit()
    at = give(shopper.id, template(kind="amount_off", amount_fen=1000, threshold_fen=28_500))
    above = give(shopper.id, template(kind="amount_off", amount_fen=1000, threshold_fen=28_501))
    result = pricing.quote(shopper.id, cart["lines"], None, PricingOptions())
    offers = {offer["id"]: offer for offer in result.offers["coupons"]}
    assert result.items_total_fen - result.discounts[0].amount_fen == 28_500
    assert offers[at.id]["usable"] and not offers[above.id]["usable"]
    assert result.offers["coupons"][0]["id"] == at.id  # usable first


def test_the_best_coupon_is_picked_and_listed_first(cart):
    shopper = factories.shopper()
    small = give(shopper.id, template(kind="no_threshold", amount_fen=300))
    big = give(shopper.id, template(kind="rate_off", rate_bp=9000))
    short = give(shopper.id, template(kind="amount_off", amount_fen=9000, threshold_fen=90_000))
    result = pricing.quote(shopper.id, cart["lines"], None, PricingOptions())
    assert [offer["id"] for offer in result.offers["coupons"]] == [big.id, small.id, short.id]
    assert [offer["saving_fen"] for offer in result.offers["coupons"]] == [2999, 300, 0]
    assert result.offers["coupon_id"] == big.id and result.discount_fen == 2999
    # and the shopper may choose another, or none
    chosen = pricing.quote(shopper.id, cart["lines"], None, PricingOptions(coupon_id=small.id, best_coupon=False))
    assert chosen.offers["coupon_id"] == small.id and chosen.discount_fen == 300
    none = pricing.quote(shopper.id, cart["lines"], None, PricingOptions(best_coupon=False))
    assert none.offers["coupon_id"] is None and none.discount_fen == 0


def test_an_order_with_a_coupon_keeps_each_items_share_and_its_commission_base(client):
    # given a shopper with an address and a 满200减20 coupon, freight 10.00 per order
    shopper = Shopper(client)
    shopper.add_address()
    a, b = goods(price_fen=12_000), goods(price_fen=8_001)
    coupon = give(shopper.id, template(kind="amount_off", amount_fen=2000, threshold_fen=20_000))
    preview = shopper.post("/orders/preview", {"lines": [{"sku_id": a.skus[0].id, "quantity": 1},
                                                         {"sku_id": b.skus[0].id, "quantity": 1}]}).get_json()
    assert preview["coupon_id"] == coupon.id and preview["coupons"][0]["saving_fen"] == 2000
    no_coupon = shopper.post("/orders/preview", {"lines": [{"sku_id": a.skus[0].id, "quantity": 1},
                                                           {"sku_id": b.skus[0].id, "quantity": 1}],
                                                 "no_coupon": True}).get_json()
    # when the order is placed with it
    answer = shopper.place([(a.skus[0], 1), (b.skus[0], 1)], coupon_id=coupon.id)
    assert answer.status_code == 201, answer.get_json()
    order = answer.get_json()
    # then the freight is untouched, the items carry the shares, and each item's paid amount
    # (its commission base) is its total less its share
    assert order["freight_fen"] == no_coupon["freight_fen"] and no_coupon["coupon_id"] is None
    assert order["discount_fen"] == 2000 and order["payable_fen"] == no_coupon["payable_fen"] - 2000
    items = sorted(order["items"], key=lambda item: item["line_total_fen"], reverse=True)
    assert [item["discount_parts"] for item in items] == [
        [{"kind": "coupon", "ref": str(coupon.id), "amount_fen": 1200}],
        [{"kind": "coupon", "ref": str(coupon.id), "amount_fen": 800}]]
    assert [item["paid_fen"] for item in items] == [12_000 - 1200, 8_001 - 800]


def test_describe_reads_as_a_shopper_would(app):
    assert describe(template(kind="amount_off", amount_fen=2000, threshold_fen=19_900)) == "满199减20"
    assert describe(template(kind="no_threshold", amount_fen=550)) == "无门槛减5.5"
    assert describe(template(kind="rate_off", rate_bp=8500, cap_fen=3000)) == "8.5折（最多减30）"


@pytest.mark.parametrize("problem", ["unknown", "someone_elses", "expired", "used", "short"])
def test_a_coupon_that_cannot_be_used_is_refused_with_the_reason_and_nothing_is_written(client, problem):
    from tests.checkout_helpers import order_count
    from tests.coupon_helpers import expire, fresh_coupon

    shopper = Shopper(client)
    shopper.add_address()
    sku = goods(price_fen=5000).skus[0]
    own = give(shopper.id, template(kind="amount_off", amount_fen=500, threshold_fen=6000 if problem == "short" else 0))
    coupon_id = {"unknown": 999_999, "someone_elses": give(factories.shopper().id, template(amount_fen=100)).id}.get(
        problem, own.id)
    if problem == "expired":
        expire(own)
    if problem == "used":
        own.status = "used"
        factories.db.session.commit()
    body = {"lines": [{"sku_id": sku.id, "quantity": 1}], "coupon_id": coupon_id}
    preview = shopper.post("/orders/preview", body)
    placed = shopper.place([(sku, 1)], coupon_id=coupon_id)
    for answer in (preview, placed):
        assert answer.status_code == 409 and error_code(answer) == "coupon_unusable", answer.get_json()
        assert answer.get_json()["error"]["fields"]["coupon_id"]
    assert order_count() == 0
    assert fresh_coupon(own.id).status == {"expired": "unused", "used": "used"}.get(problem, "unused")
