"""The storefront API: home, tree, list with sorts and search, detail, hot words, bad input."""

from __future__ import annotations

import pytest

from app.audit.services import SYSTEM
from app.catalog import search, skus
from app.catalog.models import Product
from app.extensions import db
from tests import factories


def test_home_has_empty_marketing_slots_categories_and_recommended(client, app):
    shelf = factories.category("水果")
    factories.product(shelf, "推荐的橙子", is_recommended=True)
    factories.product(shelf, "普通苹果")
    body = client.get("/api/v1/home").get_json()
    assert body["banners"] == [] and body["modules"] == []
    assert [c["name"] for c in body["categories"]] == ["水果"]
    assert [p["title"] for p in body["recommended"]] == ["推荐的橙子"]


@pytest.mark.parametrize("sort, expected", [
    ("price_asc", ["便宜", "中等", "贵"]),
    ("price_desc", ["贵", "中等", "便宜"]),
    ("sales", ["中等", "贵", "便宜"]),
    ("newest", ["贵", "中等", "便宜"]),
])
def test_products_sort_by_price_sales_and_newest(client, app, sort, expected):
    shelf = factories.category()
    factories.product(shelf, "便宜", price_fen=100, virtual_sales=1)
    factories.product(shelf, "中等", price_fen=500, virtual_sales=30)
    factories.product(shelf, "贵", price_fen=900, virtual_sales=20)
    titles = [item["title"] for item in client.get(f"/api/v1/products?sort={sort}").get_json()["items"]]
    assert titles == expected


def test_price_sort_follows_sku_price_changes(client, app):
    shelf = factories.category()
    first = factories.product(shelf, "甲", price_fen=100)
    factories.product(shelf, "乙", price_fen=500)
    skus.batch_set(SYSTEM, first, "price_fen", 900)
    db.session.commit()
    titles = [item["title"] for item in client.get("/api/v1/products?sort=price_asc").get_json()["items"]]
    assert titles == ["乙", "甲"]


def test_list_items_carry_price_original_price_sales_and_sold_out(client, app):
    factories.product(factories.category(), "售罄款", price_fen=1990, stock=0, skus=2)
    from app.shop.services import shop_settings

    shop_settings().auto_off_shelf_when_sold_out = False
    db.session.commit()
    item = client.get("/api/v1/products").get_json()["items"][0]
    assert (item["min_price_fen"], item["sold_out"]) == (1990, True)


def test_a_product_that_sells_out_shows_everywhere_as_sold_out_not_gone(client, app):
    # given a shop with default settings and a recommended product with one unit left
    from app.catalog import stock

    item = factories.product(factories.category("卫衣"), "连帽卫衣", stock=1, is_recommended=True)
    # when its last unit is sold
    assert stock.take(item.skus[0].id, 1)
    db.session.commit()
    # then the home page, the list, a search and the detail still show it, as sold out
    home = client.get("/api/v1/home").get_json()["recommended"]
    listed = client.get("/api/v1/products").get_json()["items"]
    found = client.get("/api/v1/products?keyword=卫衣").get_json()["items"]
    detail = client.get(f"/api/v1/products/{item.id}")
    assert [(p["title"], p["sold_out"]) for p in home] == [("连帽卫衣", True)]
    assert [(p["title"], p["sold_out"]) for p in listed] == [("连帽卫衣", True)]
    assert [(p["title"], p["sold_out"]) for p in found] == [("连帽卫衣", True)]
    assert detail.status_code == 200 and (detail.get_json()["sold_out"], detail.get_json()["stock"]) == (True, 0)


def test_detail_has_spec_matrix_skus_stock_share_and_sanitised_html(client, app):
    item = factories.product(factories.category())
    matrix = [{"name": "颜色", "values": ["红", "蓝"]}, {"name": "尺码", "values": ["M", "L"]}]
    skus.save_matrix(SYSTEM, item, matrix, [
        {"specs": combo, "price_fen": 1000 + i, "original_price_fen": 2000, "cost_fen": 1, "stock": i,
         "weight_g": 100, "code": "", "image_url": ""} for i, combo in enumerate(skus.combinations(matrix))])
    item.detail_html = "<p>介绍</p>"
    db.session.commit()
    body = client.get(f"/api/v1/products/{item.id}").get_json()
    assert body["spec_matrix"] == matrix
    assert body["skus"][0]["specs"] == {"颜色": "红", "尺码": "M"}
    assert body["stock"] == 0 + 1 + 2 + 3 and body["min_price_fen"] == 1000
    assert body["share"] == {"title": item.title, "image_url": item.cover_url}
    assert body["ships_free"] is True and "cost_fen" not in body["skus"][0]


def test_keyword_search_is_counted_in_hot_words(client, app):
    factories.product(factories.category(), "脐橙")
    search.set_hot_words(SYSTEM, ["年货", "礼盒"])
    db.session.commit()
    for _ in range(3):
        client.get("/api/v1/products?keyword=脐橙")
    client.get("/api/v1/products?keyword=苹果")
    client.get("/api/v1/products?keyword=礼盒")
    body = client.get("/api/v1/search/hot-words").get_json()
    assert body["configured"] == ["年货", "礼盒"]
    assert body["popular"] == ["脐橙", "苹果"]
    assert body["words"] == ["年货", "礼盒", "脐橙", "苹果"]


def test_an_unknown_or_hidden_category_is_a_404(client, app):
    hidden = factories.category(visible=False)
    for category_id in (hidden.id, 999999):
        response = client.get(f"/api/v1/products?category_id={category_id}")
        assert response.status_code == 404
        assert response.get_json()["error"]["code"] == "category_not_found"


@pytest.mark.parametrize("path, status, field", [
    ("/api/v1/products?sort=cheapest", 422, "sort"),
    ("/api/v1/products?category_id=abc", 422, "category_id"),
    ("/api/v1/products?category_id=0", 422, "category_id"),
    ("/api/v1/products?category_id=99999999999999", 422, "category_id"),
    ("/api/v1/products?keyword=" + "长" * 51, 422, "keyword"),
    ("/api/v1/products?page=-1", 422, "page"),
    ("/api/v1/products?size=1000", 422, "size"),
    ("/api/v1/products/0", 404, None),
    ("/api/v1/products/abc", 404, None),
    ("/api/v1/products/99999999", 404, None),
    ("/api/v1/nothing-here", 404, None),
])
def test_every_bad_input_gets_the_json_error_shape(client, app, path, status, field):
    response = client.get(path)
    assert response.status_code == status
    error = response.get_json()["error"]
    assert set(error) == {"code", "message", "fields"} and error["message"]
    if field:
        assert field in error["fields"]


def test_write_methods_on_catalog_endpoints_are_refused_in_json(client, app):
    for path in ("/api/v1/products", "/api/v1/home", "/api/v1/categories", "/api/v1/search/hot-words"):
        response = client.post(path, json={})
        assert response.status_code == 405 and response.get_json()["error"]["code"] == "method_not_allowed"


def test_a_deleted_product_is_gone_from_the_storefront(client, app):
    from app.core.models import utcnow

    item = factories.product(factories.category())
    db.session.get(Product, item.id).deleted_at = utcnow()
    db.session.commit()
    assert client.get(f"/api/v1/products/{item.id}").status_code == 404
    assert client.get("/api/v1/products").get_json()["total"] == 0


def test_the_openapi_document_describes_the_storefront(client, app):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in ("/api/v1/home", "/api/v1/categories", "/api/v1/products", "/api/v1/products/{product_id}",
                 "/api/v1/search/hot-words"):
        assert path in paths, path
    parameters = {p["name"] for p in paths["/api/v1/products"]["get"]["parameters"]}
    assert {"category_id", "keyword", "sort", "page", "size"} <= parameters
