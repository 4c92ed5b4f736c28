"""The cart: merging, limits, selection, removal, and every flag a line can carry."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.cart.models import CartItem
from app.catalog.models import Sku
from app.core.models import utcnow
from app.extensions import db
from tests.checkout_helpers import Shopper, error_code, goods


def _line(cart: dict, sku_id: int) -> dict:
    return next(line for line in cart["items"] if line["sku_id"] == sku_id)


def test_adding_twice_merges_into_one_line_and_totals_follow(client):
    shopper = Shopper(client)
    product = goods(price_fen=1000, skus=2)
    red, blue = product.skus
    shopper.add_to_cart(red.id, 2)
    cart = shopper.add_to_cart(red.id, 3)
    shopper.add_to_cart(blue.id, 1)
    cart = shopper.get("/cart").get_json()
    assert len(cart["items"]) == 2
    line = _line(cart, red.id)
    assert (line["quantity"], line["price_fen"], line["title"], line["spec_text"]) == (5, 1000, product.title, "款1")
    assert line["flags"] == [] and line["purchasable"] and line["selected"]
    assert cart["totals"] == {"lines": 2, "quantity": 6, "amount_fen": 5 * 1000 + 1100}


@pytest.mark.parametrize("quantity", [0, -1, 1000, "x"])
def test_quantities_outside_1_to_999_are_refused(client, quantity):
    shopper = Shopper(client)
    sku = goods(stock=2000).skus[0]
    answer = shopper.post("/cart", {"sku_id": sku.id, "quantity": quantity})
    assert answer.status_code == 422 and error_code(answer) == "validation_failed"
    assert db.session.scalar(select(func.count()).select_from(CartItem)) == 0


def test_a_merged_line_cannot_pass_999(client):
    shopper = Shopper(client)
    sku = goods(stock=5000).skus[0]
    shopper.add_to_cart(sku.id, 900)
    answer = shopper.post("/cart", {"sku_id": sku.id, "quantity": 100})
    assert answer.status_code == 422 and error_code(answer) == "quantity_limit"
    assert _line(shopper.get("/cart").get_json(), sku.id)["quantity"] == 900


def test_the_cart_holds_at_most_100_lines(client):
    shopper = Shopper(client)
    product = goods(skus=1)
    for index in range(101):
        db.session.add(Sku(product_id=product.id, specs={"规格": f"x{index}"}, price_fen=100, stock=5))
    db.session.commit()
    skus = db.session.scalars(select(Sku).where(Sku.product_id == product.id).order_by(Sku.id)).all()
    for sku in skus[:100]:
        db.session.add(CartItem(user_id=shopper.id, product_id=product.id, sku_id=sku.id, quantity=1,
                                seen_price_fen=sku.price_fen))
    db.session.commit()
    answer = shopper.post("/cart", {"sku_id": skus[100].id, "quantity": 1})
    assert answer.status_code == 422 and error_code(answer) == "cart_full"


def test_adding_more_than_the_stock_is_refused(client):
    shopper = Shopper(client)
    sku = goods(stock=3).skus[0]
    answer = shopper.post("/cart", {"sku_id": sku.id, "quantity": 4})
    assert answer.status_code == 409 and error_code(answer) == "insufficient_stock"


def test_a_product_off_shelf_or_unknown_cannot_be_added(client):
    shopper = Shopper(client)
    hidden = goods(on_shelf=False).skus[0]
    assert shopper.post("/cart", {"sku_id": hidden.id, "quantity": 1}).status_code == 404
    assert shopper.post("/cart", {"sku_id": 999_999, "quantity": 1}).status_code == 404


def test_a_line_whose_product_the_shop_took_off_shelf_for_selling_out_reads_sold_out(client):
    # given a shop that takes sold-out products off shelf, and a cart line whose product sold out
    from app.catalog import stock
    from app.shop.services import shop_settings

    shop_settings().auto_off_shelf_when_sold_out = True
    db.session.commit()
    shopper = Shopper(client)
    product = goods(stock=1)
    shopper.add_to_cart(product.skus[0].id, 1)
    assert stock.take(product.skus[0].id, 1)
    db.session.commit()
    # when the shopper looks at the cart, then the line says sold out, not off shelf
    line = _line(shopper.get("/cart").get_json(), product.skus[0].id)
    assert (line["flags"], line["purchasable"]) == (["sold_out"], False)


def test_each_unbuyable_line_is_flagged_and_kept(client):
    shopper = Shopper(client)
    fine, off, deleted, sold_out, short, repriced = (goods(price_fen=1000, stock=5) for _ in range(6))
    for product in (fine, off, deleted, sold_out, short, repriced):
        shopper.add_to_cart(product.skus[0].id, 2)
    # given each product changes after it went into the cart
    off.is_on_shelf = False
    deleted.deleted_at = utcnow()
    sold_out.skus[0].stock = 0
    short.skus[0].stock = 1
    repriced.skus[0].price_fen = 1200
    db.session.commit()
    # when the shopper looks at the cart
    cart = shopper.get("/cart").get_json()
    flags = {line["sku_id"]: line["flags"] for line in cart["items"]}
    assert flags[fine.skus[0].id] == []
    assert flags[off.skus[0].id] == ["off_shelf"]
    assert flags[deleted.skus[0].id] == ["deleted"]
    assert flags[sold_out.skus[0].id] == ["sold_out"]
    assert flags[short.skus[0].id] == ["insufficient_stock"]
    assert _line(cart, short.skus[0].id)["stock"] == 1
    assert flags[repriced.skus[0].id] == ["price_changed"]
    changed = _line(cart, repriced.skus[0].id)
    assert (changed["seen_price_fen"], changed["price_fen"], changed["purchasable"]) == (1000, 1200, True)
    # the totals count only what can be bought: the fine line and the repriced one
    assert cart["totals"] == {"lines": 2, "quantity": 4, "amount_fen": 2 * 1000 + 2 * 1200}
    # and having seen it, the new price is acknowledged
    again = shopper.get("/cart").get_json()
    assert _line(again, repriced.skus[0].id)["flags"] == []


def test_a_line_whose_sku_disappeared_is_flagged_sku_gone(client):
    shopper = Shopper(client)
    product, other = goods(), goods()
    shopper.add_to_cart(product.skus[0].id, 1)
    # given the SKU now belongs elsewhere (its row reused by a spec change)
    db.session.execute(CartItem.__table__.update().values(product_id=other.id))
    db.session.commit()
    line = shopper.get("/cart").get_json()["items"][0]
    assert line["flags"] == ["sku_gone"] and not line["purchasable"]


def test_change_quantity_and_selection(client):
    shopper = Shopper(client)
    one, two = goods(price_fen=500).skus[0], goods(price_fen=700).skus[0]
    shopper.add_to_cart(one.id, 1)
    cart = shopper.add_to_cart(two.id, 1)
    line_id = _line(cart, one.id)["id"]
    cart = shopper.patch(f"/cart/{line_id}", {"quantity": 4}).get_json()
    assert _line(cart, one.id)["quantity"] == 4
    cart = shopper.patch(f"/cart/{line_id}", {"selected": False}).get_json()
    assert cart["totals"]["amount_fen"] == 700
    cart = shopper.post("/cart/select", {"selected": False}).get_json()
    assert cart["totals"]["lines"] == 0
    cart = shopper.post("/cart/select", {"selected": True, "ids": [line_id]}).get_json()
    assert cart["totals"] == {"lines": 1, "quantity": 4, "amount_fen": 2000}
    answer = shopper.patch(f"/cart/{line_id}", {"quantity": 11})
    assert answer.status_code == 409 and error_code(answer) == "insufficient_stock"


def test_remove_one_many_and_clear_invalid(client):
    shopper = Shopper(client)
    skus = [goods().skus[0] for _ in range(4)]
    for sku in skus:
        cart = shopper.add_to_cart(sku.id, 1)
    ids = {line["sku_id"]: line["id"] for line in cart["items"]}
    assert len(shopper.delete(f"/cart/{ids[skus[0].id]}").get_json()["items"]) == 3
    assert len(shopper.post("/cart/remove", {"ids": [ids[skus[1].id]]}).get_json()["items"]) == 2
    skus[2].stock = 0
    db.session.commit()
    cart = shopper.post("/cart/clear-invalid").get_json()
    assert [line["sku_id"] for line in cart["items"]] == [skus[3].id]


def test_another_shoppers_line_is_not_found_everywhere(client):
    owner, stranger = Shopper(client), Shopper(client)
    sku = goods().skus[0]
    line_id = owner.add_to_cart(sku.id, 1)["items"][0]["id"]
    for answer in (stranger.patch(f"/cart/{line_id}", {"quantity": 2}),
                   stranger.delete(f"/cart/{line_id}"),
                   stranger.post("/cart/remove", {"ids": [line_id]}),
                   stranger.post("/cart/select", {"selected": False, "ids": [line_id]})):
        assert answer.status_code == 404 and error_code(answer) == "cart_item_not_found"
    line = owner.get("/cart").get_json()["items"][0]
    assert (line["quantity"], line["selected"]) == (1, True)


@pytest.mark.parametrize("path, body", [
    ("/cart", {"sku_id": "a"}), ("/cart", {}), ("/cart", {"sku_id": 1, "quantity": 1, "price_fen": 1}),
    ("/cart/select", {"ids": [1]}), ("/cart/remove", {"ids": []}), ("/cart/remove", {"ids": "1"}),
])
def test_bad_bodies_get_the_error_shape(client, path, body):
    shopper = Shopper(client)
    answer = shopper.post(path, body)
    assert answer.status_code == 422 and error_code(answer) == "validation_failed"


def test_the_cart_needs_a_login(client):
    assert client.get("/api/v1/cart").status_code == 401


def test_an_empty_cart_answers_zero_totals(client):
    assert Shopper(client).get("/cart").get_json() == {"items": [], "promotions": [],
                                                       "totals": {"lines": 0, "quantity": 0, "amount_fen": 0}}
