"""The storefront catalogue: what shows, and bounded pagination."""

from __future__ import annotations

import time
from datetime import timedelta

from app.core.models import utcnow
from app.extensions import db
from tests import factories


def test_products_are_paginated_with_a_total(client, app):
    shelf = factories.category("零食")
    for _ in range(5):
        factories.product(shelf)
    body = client.get("/api/v1/products?page=2&size=2").get_json()
    assert (body["page"], body["size"], body["total"]) == (2, 2, 5)
    assert len(body["items"]) == 2


def test_the_total_follows_products_going_on_and_off_shelf_at_once(client, app):
    shelf = factories.category("零食")
    first = factories.product(shelf)
    assert client.get("/api/v1/products").get_json()["total"] == 1
    factories.product(shelf)
    assert client.get("/api/v1/products").get_json()["total"] == 2
    first.is_on_shelf = False
    db.session.commit()
    body = client.get(f"/api/v1/products?category_id={shelf.id}").get_json()
    assert body["total"] == 1 and len(body["items"]) == 1
    assert client.get("/api/v1/products").get_json()["total"] == 1


def test_the_total_follows_a_scheduled_withdrawal_with_no_write(client, app):
    # Whole seconds: MariaDB's DATETIME drops the fraction, which would bring the withdrawal forward.
    off_at = utcnow().replace(microsecond=0) + timedelta(seconds=2)
    shelf = factories.category()
    factories.product(shelf, off_shelf_at=off_at)
    factories.product(shelf)
    assert client.get("/api/v1/products").get_json()["total"] == 2
    time.sleep((off_at - utcnow()).total_seconds() + 0.2)
    body = client.get("/api/v1/products").get_json()
    assert body["total"] == 1 and len(body["items"]) == 1


def test_a_listed_product_shows_its_cheapest_skus_original_price_and_whether_it_is_sold_out(client, app):
    shelf = factories.category()
    in_stock = factories.product(shelf, "有货", price_fen=1990, skus=2, stock=0)
    in_stock.skus[1].stock = 3
    for sku in in_stock.skus:
        sku.original_price_fen = sku.price_fen + 500
    factories.product(shelf, "售罄", stock=0)
    db.session.commit()
    items = {item["title"]: item for item in client.get("/api/v1/products").get_json()["items"]}
    assert (items["有货"]["min_price_fen"], items["有货"]["original_price_fen"], items["有货"]["sold_out"]) == \
        (1990, 2490, False)
    assert items["售罄"]["sold_out"] is True


def test_page_size_is_bounded(client):
    for query in ("size=101", "size=0", "page=0", "page=abc"):
        response = client.get(f"/api/v1/products?{query}")
        assert response.status_code == 422, query
        assert list(response.get_json()["error"]["fields"]) in (["size"], ["page"])


def test_products_off_shelf_or_in_hidden_categories_do_not_show(client, app):
    visible = factories.category("可见")
    hidden = factories.category("隐藏", visible=False)
    shown = factories.product(visible, "上架商品")
    factories.product(visible, "下架商品", on_shelf=False)
    in_hidden = factories.product(hidden, "隐藏分类商品")
    titles = [item["title"] for item in client.get("/api/v1/products").get_json()["items"]]
    assert titles == ["上架商品"]
    assert client.get(f"/api/v1/products/{shown.id}").status_code == 200
    assert client.get(f"/api/v1/products/{in_hidden.id}").status_code == 404


def test_a_top_category_lists_its_childrens_products(client, app):
    top = factories.category("服饰")
    child = factories.category("女装", parent=top)
    factories.product(child, "连衣裙")
    body = client.get(f"/api/v1/products?category_id={top.id}").get_json()
    assert [item["title"] for item in body["items"]] == ["连衣裙"]
    tree = client.get("/api/v1/categories").get_json()["items"]
    assert tree[0]["name"] == "服饰" and tree[0]["children"][0]["name"] == "女装"


def test_product_detail_shows_skus_and_lowest_price_in_fen(client, app):
    item = factories.product(factories.category(), price_fen=1990, skus=3)
    body = client.get(f"/api/v1/products/{item.id}").get_json()
    assert body["min_price_fen"] == 1990
    assert [sku["price_fen"] for sku in body["skus"]] == [1990, 2090, 2190]


def test_keyword_search_treats_wildcards_literally(client, app):
    shelf = factories.category()
    factories.product(shelf, "100%纯棉T恤")
    factories.product(shelf, "羊毛衫")
    titles = [i["title"] for i in client.get("/api/v1/products?keyword=%25").get_json()["items"]]
    assert titles == ["100%纯棉T恤"]
