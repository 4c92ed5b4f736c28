"""Checkout: server-side prices, freight, member discount and its exact split over the items,
idempotency, price-change protection, all-or-nothing stock, and refusals that write nothing."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.audit.services import SYSTEM
from app.extensions import db
from app.members.models import MemberLevel, Wallet
from app.orders.models import Order, OrderItem, OrderLog
from app.orders.pricing import allocate
from app.shipping import services as shipping
from app.shop.services import shop_settings
from tests.checkout_helpers import Shopper, error_code, goods, order_count, stock_of


def _template(first_fee_fen: int, additional_fee_fen: int, name: str = "模板") -> int:
    template = shipping.create_template(SYSTEM, {
        "name": name, "method": "count",
        "default": {"first_amount": 1, "first_fee_fen": first_fee_fen, "additional_amount": 1,
                    "additional_fee_fen": additional_fee_fen},
        "region_rules": [], "free_rules": []})
    db.session.commit()
    return template.id


def _member(shopper: Shopper, discount_bp: int) -> None:
    level = MemberLevel(name=f"金卡{discount_bp}", growth_threshold=None, discount_bp=discount_bp)
    db.session.add(level)
    db.session.flush()
    db.session.add(Wallet(user_id=shopper.id, balance_fen=0, points=0, total_spent_fen=0, level_id=level.id))
    db.session.commit()


def test_placing_an_order_prices_it_on_the_server_and_snapshots_the_items(client):
    # given a 95折 member buying two products under two shipping templates to Shenzhen
    shopper = Shopper(client)
    shopper.add_address()
    _member(shopper, 9500)
    shirt = goods(price_fen=1990, stock=10, skus=2, shipping_template_id=_template(800, 200, "快递"))
    mug = goods(price_fen=3333, stock=10, shipping_template_id=_template(1000, 0, "大件"))
    red = shirt.skus[1]
    red.code, red.cost_fen, red.image_url = "SH-RED", 900, "/media/red.png"
    db.session.commit()
    # when they place it
    answer = shopper.place([(red, 3), (mug.skus[0], 1)], remark=" 请尽快发货 ")
    # then the amounts are the server's: goods, freight per template, member discount
    assert answer.status_code == 201, answer.get_json()
    order = answer.get_json()
    goods_total = 2090 * 3 + 3333
    discount = goods_total * 500 // 10000
    assert order["items_total_fen"] == goods_total == 9603
    assert order["freight_fen"] == (800 + 2 * 200) + 1000
    assert order["discount_fen"] == discount == 480
    assert order["discounts"] == [{"kind": "member_level", "label": order["discounts"][0]["label"],
                                   "amount_fen": 480, "points": 0}]
    assert order["payable_fen"] == goods_total + 2200 - discount
    assert (order["status"], order["status_label"]) == ("pending_payment", "待付款")
    assert order["shopper_remark"] == "请尽快发货" and "merchant_remark" not in order
    assert order["address"]["region_text"] == "广东省 深圳市 南山区"
    assert sum(item["discount_fen"] for item in order["items"]) == discount
    # and the items keep what was bought, as it was
    item = db.session.scalar(select(OrderItem).where(OrderItem.sku_id == red.id))
    assert (item.title, item.spec_text, item.image_url, item.sku_code) == (shirt.title, "款2", "/media/red.png",
                                                                          "SH-RED")
    assert (item.unit_price_fen, item.unit_cost_fen, item.quantity, item.line_total_fen) == (2090, 900, 3, 6270)
    assert item.paid_fen == item.line_total_fen - item.discount_fen
    # and the stock is reserved, the deadline set, the creation logged
    assert stock_of(red) == 7 and stock_of(mug.skus[0]) == 9
    row = db.session.get(Order, order["id"])
    assert re.fullmatch(r"D\d{22}", row.order_no)
    assert abs(row.pay_deadline - row.created_at - timedelta(minutes=30)) < timedelta(seconds=5)
    assert 1790 <= order["pay_seconds_left"] <= 1800
    log = db.session.scalars(select(OrderLog).where(OrderLog.order_id == row.id)).all()
    assert [(entry.action, entry.actor_type, entry.actor_id) for entry in log] == [("created", "shopper", shopper.id)]


@pytest.mark.parametrize("total, weights", [
    (100, [333, 333, 334]),
    (7, [3, 3, 3]),
    (999, [100, 200, 300, 400, 500, 600, 700]),
    (2, [1, 1, 1]),      # the remainder would overflow the last line
    (10, [1, 9999]),
    (3, [1, 1, 1]),      # everything discounted
    (0, [5, 5]),
])
def test_discount_shares_add_up_exactly_and_never_exceed_a_line(total, weights):
    shares = allocate(total, weights)
    assert sum(shares) == total
    assert all(0 <= share <= weight for share, weight in zip(shares, weights, strict=True))


def test_an_awkward_discount_splits_in_proportion_by_largest_remainder(client):
    shopper = Shopper(client)
    shopper.add_address()
    _member(shopper, 8888)
    lines = [(goods(price_fen=price).skus[0], 1) for price in (333, 333, 335)]
    order = shopper.place(lines).get_json()
    total = 1001
    discount = total * 1112 // 10000
    shares = [item["discount_fen"] for item in order["items"]]
    assert order["discount_fen"] == discount == 111
    # exact shares 36.93, 36.93, 37.15: the whole parts (36, 36, 37) and the 2 fen left go to
    # the two largest fractions
    assert shares == [37, 37, 37]
    assert [[(part["kind"], part["amount_fen"]) for part in item["discount_parts"]] for item in order["items"]] == \
        [[("member_level", 37)]] * 3
    assert order["payable_fen"] == total - discount


def test_tampered_prices_are_ignored(client):
    shopper = Shopper(client)
    shopper.add_address()
    sku = goods(price_fen=5000).skus[0]
    answer = shopper.post("/orders", {"idempotency_key": "tamper-0001", "payable_fen": 1, "items_total_fen": 1,
                                      "lines": [{"sku_id": sku.id, "quantity": 2, "price_fen": 1,
                                                 "unit_price_fen": 1}]})
    assert answer.status_code == 201
    assert answer.get_json()["payable_fen"] == 10000
    assert answer.get_json()["items"][0]["unit_price_fen"] == 5000


def test_preview_answers_amounts_discount_lines_coupons_and_enabled_pay_methods(client):
    shopper = Shopper(client)
    shopper.add_address()
    _member(shopper, 9000)
    settings = shop_settings()
    settings.pay_balance, settings.pay_cod = False, True
    db.session.commit()
    sku = goods(price_fen=1000, shipping_template_id=_template(600, 100)).skus[0]
    preview = shopper.post("/orders/preview", {"lines": [{"sku_id": sku.id, "quantity": 2}]}).get_json()
    assert (preview["items_total_fen"], preview["freight_fen"], preview["discount_fen"],
            preview["payable_fen"]) == (2000, 700, 200, 2500)
    assert preview["coupons"] == [] and preview["pay_methods"] == ["wechat", "cod"]
    assert preview["lines"][0]["unit_price_fen"] == 1000 and preview["address"]["region_code"] == "440305"
    assert order_count() == 0 and stock_of(sku) == 10


def test_preview_without_an_address_has_no_freight_yet(client):
    shopper = Shopper(client)
    sku = goods(price_fen=1000, shipping_template_id=_template(600, 100)).skus[0]
    preview = shopper.post("/orders/preview", {"lines": [{"sku_id": sku.id, "quantity": 1}]}).get_json()
    assert preview["address"] is None and preview["freight_fen"] == 0


def test_the_same_idempotency_key_returns_the_same_order_without_taking_stock_again(client):
    shopper = Shopper(client)
    shopper.add_address()
    sku = goods(stock=10).skus[0]
    first = shopper.place([(sku, 2)], key="checkout-key-1")
    again = shopper.place([(sku, 2)], key="checkout-key-1")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.get_json()["id"] == first.get_json()["id"]
    assert order_count() == 1 and stock_of(sku) == 8
    # another shopper may use the same key for their own order
    other = Shopper(client)
    other.add_address()
    assert other.place([(sku, 1)], key="checkout-key-1").status_code == 201


def test_a_changed_payable_is_refused_with_the_new_figures_and_nothing_written(client):
    shopper = Shopper(client)
    shopper.add_address()
    sku = goods(price_fen=1000).skus[0]
    seen = shopper.post("/orders/preview", {"lines": [{"sku_id": sku.id, "quantity": 1}]}).get_json()
    sku.price_fen = 1200
    db.session.commit()
    answer = shopper.place([(sku, 1)], expected_payable_fen=seen["payable_fen"])
    assert answer.status_code == 409 and error_code(answer) == "price_changed"
    assert answer.get_json()["preview"]["payable_fen"] == 1200
    assert order_count() == 0 and stock_of(sku) == 10
    assert shopper.place([(sku, 1)], expected_payable_fen=1200).status_code == 201


def test_stock_is_all_or_nothing(client):
    shopper = Shopper(client)
    shopper.add_address()
    plenty, scarce = goods(stock=10).skus[0], goods(stock=1).skus[0]
    answer = shopper.place([(plenty, 3), (scarce, 2)])
    assert answer.status_code == 409 and error_code(answer) == "insufficient_stock"
    assert list(answer.get_json()["error"]["fields"]) == [f"sku.{scarce.id}"]
    assert stock_of(plenty) == 10 and stock_of(scarce) == 1 and order_count() == 0


def test_ordering_from_the_cart_takes_the_selected_lines_and_removes_them(client):
    shopper = Shopper(client)
    shopper.add_address()
    chosen, left = goods(price_fen=1000).skus[0], goods(price_fen=500).skus[0]
    shopper.add_to_cart(chosen.id, 2)
    cart = shopper.add_to_cart(left.id, 1)
    left_line = next(line["id"] for line in cart["items"] if line["sku_id"] == left.id)
    shopper.patch(f"/cart/{left_line}", {"selected": False})
    order = shopper.place(from_cart=True).get_json()
    assert [(item["sku_id"], item["quantity"]) for item in order["items"]] == [(chosen.id, 2)]
    assert [line["sku_id"] for line in shopper.get("/cart").get_json()["items"]] == [left.id]
    answer = shopper.place(from_cart=True)
    assert answer.status_code == 422 and error_code(answer) == "cart_empty"


def test_products_no_longer_on_sale_are_refused_by_name(client):
    # given an off-shelf product, a product that sold out and was then deleted, and a SKU that
    # never existed
    from app.core.models import utcnow

    shopper = Shopper(client)
    shopper.add_address()
    hidden = goods(on_shelf=False).skus[0]
    deleted = goods(stock=0, on_shelf=False, off_shelf_reason="sold_out", deleted_at=utcnow()).skus[0]
    # when the shopper orders them, then each is off sale (422), not a stock shortage
    answer = shopper.post("/orders", {"idempotency_key": "gone-key-01",
                                      "lines": [{"sku_id": hidden.id, "quantity": 1},
                                                {"sku_id": deleted.id, "quantity": 1},
                                                {"sku_id": 987654, "quantity": 1}]})
    assert answer.status_code == 422 and error_code(answer) == "items_unavailable"
    assert set(answer.get_json()["error"]["fields"]) == {f"sku.{hidden.id}", f"sku.{deleted.id}", "sku.987654"}
    assert order_count() == 0


def _sell_out(client, sku) -> None:
    """Another shopper buys every unit left."""
    buyer = Shopper(client)
    buyer.add_address()
    assert buyer.place([(sku, stock_of(sku))]).status_code == 201


def _stock_refusal(answer, sku) -> str:
    assert answer.status_code == 409 and error_code(answer) == "insufficient_stock", answer.get_json()
    assert list(answer.get_json()["error"]["fields"]) == [f"sku.{sku.id}"]
    return answer.get_json()["error"]["fields"][f"sku.{sku.id}"]


def test_a_sold_out_product_is_refused_as_sold_out_not_as_off_sale(client):
    # given a shop with default settings and a product whose last unit another shopper bought
    shopper = Shopper(client)
    shopper.add_address()
    sku = goods(stock=1).skus[0]
    _sell_out(client, sku)
    # when the shopper previews and places an order for it
    preview = shopper.post("/orders/preview", {"lines": [{"sku_id": sku.id, "quantity": 1}]})
    placed = shopper.place([(sku, 1)])
    # then both answer the stock error naming the SKU as sold out, and nothing is written
    assert _stock_refusal(preview, sku) == _stock_refusal(placed, sku) == f"“{sku.product.title}”已售罄。"
    assert order_count() == 1 and stock_of(sku) == 0


def test_a_product_taken_off_shelf_for_selling_out_is_sold_out_until_restocked_then_off_sale(client):
    # given a shop that takes sold-out products off shelf, and a product that just sold out
    shop_settings().auto_off_shelf_when_sold_out = True
    db.session.commit()
    shopper = Shopper(client)
    shopper.add_address()
    sku = goods(stock=1).skus[0]
    _sell_out(client, sku)
    # when the shopper orders it, then it is refused as sold out (409 naming the SKU)
    assert _stock_refusal(shopper.place([(sku, 1)]), sku) == f"“{sku.product.title}”已售罄。"
    # and once the merchant restocks it without putting it back on shelf, it is off sale (422)
    sku.stock = 5
    db.session.commit()
    answer = shopper.place([(sku, 1)])
    assert answer.status_code == 422 and error_code(answer) == "items_unavailable"
    assert order_count() == 1 and stock_of(sku) == 5


def test_an_order_needs_an_address_of_ones_own(client):
    shopper, stranger = Shopper(client), Shopper(client)
    sku = goods().skus[0]
    answer = shopper.place([(sku, 1)])
    assert answer.status_code == 422 and error_code(answer) == "address_required"
    foreign = stranger.add_address()
    answer = shopper.place([(sku, 1)], address_id=foreign["id"])
    assert answer.status_code == 404 and error_code(answer) == "address_not_found"
    answer = shopper.post("/orders/preview", {"lines": [{"sku_id": sku.id, "quantity": 1}],
                                              "address_id": foreign["id"]})
    assert answer.status_code == 404
    assert order_count() == 0 and stock_of(sku) == 10


@pytest.mark.parametrize("body", [
    {"lines": [{"sku_id": 1, "quantity": 1}]},                              # no idempotency key
    {"idempotency_key": "short", "lines": [{"sku_id": 1, "quantity": 1}]},
    {"idempotency_key": "k" * 65, "lines": [{"sku_id": 1, "quantity": 1}]},
    {"idempotency_key": "good-key-1", "lines": []},
    {"idempotency_key": "good-key-1", "lines": [{"sku_id": 1, "quantity": 0}]},
    {"idempotency_key": "good-key-1", "lines": [{"sku_id": 1, "quantity": 1000}]},
    {"idempotency_key": "good-key-1", "lines": [{"sku_id": "x", "quantity": 1}]},
    {"idempotency_key": "good-key-1", "lines": "all"},
    {"idempotency_key": "good-key-1", "from_cart": True, "lines": [{"sku_id": 1, "quantity": 1}]},
    {"idempotency_key": "good-key-1", "lines": [{"sku_id": 1, "quantity": 1}], "remark": "备" * 201},
    {"idempotency_key": "good-key-1", "lines": [{"sku_id": 1, "quantity": 1}], "expected_payable_fen": -1},
])
def test_bad_checkout_bodies_get_a_422_and_write_nothing(client, body):
    shopper = Shopper(client)
    shopper.add_address()
    goods()
    answer = shopper.post("/orders", body)
    assert answer.status_code == 422 and error_code(answer) == "validation_failed"
    assert order_count() == 0


def test_checkout_needs_json_and_a_login(client):
    shopper = Shopper(client)
    assert shopper.post("/orders", data="x", content_type="text/plain").status_code == 415
    assert client.post("/api/v1/orders", json={}).status_code == 401


def test_a_scoped_discount_comes_off_only_its_lines_from_what_earlier_steps_left(app):
    from app.orders.pricing import Discount, PricedLine, Quote
    first, second, third = (goods(price_fen=price) for price in (1000, 2000, 3000))
    result = Quote([PricedLine(product.skus[0], product, 1) for product in (first, second, third)], None, 0)
    result.add_discount(Discount("member_level", "会员价", 600))
    assert [line.discount_fen for line in result.lines] == [100, 200, 300]
    # a coupon for the last two lines shares by what is left of them (1800 and 2700)
    result.add_discount(Discount("coupon", "券", 500, ref="7"), result.lines[1:])
    assert [line.discount_fen for line in result.lines] == [100, 400, 600]
    # more than is left is capped
    assert result.add_discount(Discount("full_reduction", "满减", 10_000), result.lines[:1]).amount_fen == 900
    assert result.add_discount(Discount("coupon", "券", 100), result.lines[:1]) is None
    # points share in proportion to the fen
    result.add_discount(Discount("points", "积分", 1001, points=10_010), result.lines[1:])
    assert [part for line in result.lines[1:] for part in line.parts if part["kind"] == "points"] == [
        {"kind": "points", "ref": "", "amount_fen": 400, "points": 4000},
        {"kind": "points", "ref": "", "amount_fen": 601, "points": 6010}]
    assert result.discount_fen == 3001 and result.payable_fen == 2999
