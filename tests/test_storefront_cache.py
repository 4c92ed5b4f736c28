"""The storefront keeps rendered list pages and details per worker: every change a shopper
could see shows on the next request, however it was written."""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import request_started
from sqlalchemy import text

from app.audit.services import SYSTEM
from app.catalog import cache, skus, stock
from app.catalog.models import Product, Sku
from app.core.models import utcnow
from app.extensions import db, redis_client
from app.shop.services import shop_settings
from tests import factories


def _detail(client, product_id: int) -> dict:
    response = client.get(f"/api/v1/products/{product_id}")
    assert response.status_code == 200
    return response.get_json()


def _listed(client, query: str = "") -> list[dict]:
    return client.get(f"/api/v1/products{query}").get_json()["items"]


def test_stock_taken_by_an_order_shows_on_the_next_detail_and_list(client, app):
    shop_settings().auto_off_shelf_when_sold_out = False
    item = factories.product(factories.category(), stock=3)
    sku_id = item.skus[0].id
    assert _detail(client, item.id)["stock"] == 3 and _listed(client)[0]["sold_out"] is False
    assert stock.take(sku_id, 3)
    db.session.commit()
    assert _detail(client, item.id)["skus"][0]["stock"] == 0
    assert _listed(client)[0]["sold_out"] is True


def test_stock_given_back_shows_on_the_next_detail(client, app):
    item = factories.product(factories.category(), stock=1)
    sku_id = item.skus[0].id
    assert _detail(client, item.id)["stock"] == 1
    stock.give_back(sku_id, 4)
    db.session.commit()
    assert _detail(client, item.id)["stock"] == 5


def test_a_price_change_shows_on_the_next_list_and_detail(client, app):
    item = factories.product(factories.category(), price_fen=1000)
    assert _listed(client)[0]["min_price_fen"] == 1000 and _detail(client, item.id)["min_price_fen"] == 1000
    skus.batch_set(SYSTEM, item, "price_fen", 1500)
    db.session.commit()
    assert _listed(client)[0]["min_price_fen"] == 1500
    assert _detail(client, item.id)["skus"][0]["price_fen"] == 1500


def test_a_product_taken_off_shelf_is_gone_on_the_next_request(client, app):
    shelf = factories.category()
    item = factories.product(shelf, "下架款")
    assert [row["title"] for row in _listed(client, f"?category_id={shelf.id}")] == ["下架款"]
    assert _detail(client, item.id)["title"] == "下架款"
    db.session.get(Product, item.id).is_on_shelf = False
    db.session.commit()
    assert _listed(client, f"?category_id={shelf.id}") == []
    assert client.get(f"/api/v1/products/{item.id}").status_code == 404


def test_a_product_put_on_shelf_shows_on_the_next_request(client, app):
    item = factories.product(factories.category(), on_shelf=False)
    assert client.get(f"/api/v1/products/{item.id}").status_code == 404
    assert client.get("/api/v1/products").get_json()["total"] == 0
    db.session.get(Product, item.id).is_on_shelf = True
    db.session.commit()
    assert _detail(client, item.id)["id"] == item.id
    assert client.get("/api/v1/products").get_json()["total"] == 1


def test_a_title_edit_shows_on_the_next_detail(client, app):
    item = factories.product(factories.category(), "旧标题")
    assert _detail(client, item.id)["title"] == "旧标题"
    db.session.get(Product, item.id).subtitle = "新副标题"
    db.session.commit()
    assert _detail(client, item.id)["subtitle"] == "新副标题"


def test_a_scheduled_withdrawal_ends_the_kept_answers_without_any_write(client, app, monkeypatch):
    item = factories.product(factories.category(), off_shelf_at=utcnow() + timedelta(hours=1))
    assert _detail(client, item.id)["id"] == item.id
    later = utcnow() + timedelta(hours=2)
    monkeypatch.setattr(cache, "utcnow", lambda: later)
    monkeypatch.setattr("app.catalog.services.utcnow", lambda: later)
    assert client.get(f"/api/v1/products/{item.id}").status_code == 404


def test_another_workers_change_shows_once_its_generation_is_read(client, app, monkeypatch):
    """Another worker's write reaches this one through the content generation in Redis."""
    item = factories.product(factories.category(), stock=2)
    assert _detail(client, item.id)["stock"] == 2
    db.session.execute(text("UPDATE skus SET stock = 7 WHERE product_id = :id"), {"id": item.id})
    db.session.commit()  # written as elsewhere: nothing here was told
    assert _detail(client, item.id)["stock"] == 2
    redis_client.incr(cache.CONTENT_KEY)  # what that worker's commit did
    monkeypatch.setattr(cache, "CHECK_SECONDS", 0)
    assert _detail(client, item.id)["stock"] == 7
    assert db.session.get(Sku, item.skus[0].id).stock == 7


def test_a_product_without_skus_shows_with_none_and_sold_out(client, app):
    item = factories.product(factories.category(), skus=0)
    body = _detail(client, item.id)
    assert (body["skus"], body["stock"], body["sold_out"], body["min_price_fen"]) == ([], 0, True, 0)


def test_a_kept_answer_is_replayed_before_flask_with_the_same_headers(client, app, caplog):
    """The second request for the same page never enters Flask, yet the shopper gets the same
    answer and headers, a request id of its own and an access-log line."""
    item = factories.product(factories.category(), price_fen=2990)
    entered = []
    first = client.get(f"/api/v1/products/{item.id}")
    with request_started.connected_to(lambda sender, **extra: entered.append(1), app), \
            caplog.at_level(logging.INFO, logger="fenxiao.request"):
        caplog.clear()
        again = client.get(f"/api/v1/products/{item.id}", headers={"X-Request-ID": "shopper-42"})
    assert entered == []
    assert again.status_code == 200 and again.data == first.data
    assert again.headers["X-Request-ID"] == "shopper-42" != first.headers["X-Request-ID"]
    fixed = {name for name, _value in first.headers} - {"X-Request-ID"}
    assert {name: again.headers[name] for name in fixed} == {name: first.headers[name] for name in fixed}
    assert [(record.getMessage().split()[:3], record.request_id) for record in caplog.records] == \
        [(["GET", f"/api/v1/products/{item.id}", "200"], "shopper-42")]


def test_a_replayed_page_follows_a_change_at_once(client, app):
    item = factories.product(factories.category(), price_fen=1000)
    for _ in range(2):  # rendered, then replayed
        assert _listed(client, "?sort=price_asc&page=1")[0]["min_price_fen"] == 1000
    skus.batch_set(SYSTEM, item, "price_fen", 1200)
    db.session.commit()
    assert _listed(client, "?sort=price_asc&page=1")[0]["min_price_fen"] == 1200


def test_errors_and_searches_are_never_replayed(client, app):
    entered = []
    with request_started.connected_to(lambda sender, **extra: entered.append(1), app):
        for _ in range(2):
            assert client.get("/api/v1/products/999999").status_code == 404
            assert client.get("/api/v1/products?keyword=茶").status_code == 200
    assert len(entered) == 4
