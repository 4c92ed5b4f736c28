"""The spec matrix, its SKUs, batch edits, stock alerts and automatic off-shelf."""

from __future__ import annotations

import pytest

from app.audit.models import AuditEntry
from app.audit.services import SYSTEM
from app.catalog import skus, stock
from app.catalog.models import Product, Sku
from app.core.errors import ValidationError
from app.extensions import db
from app.shop.services import shop_settings
from tests import factories

MATRIX = [{"name": "颜色", "values": ["红", "蓝"]}, {"name": "尺码", "values": ["S", "M", "L"]}]


def _rows(matrix=MATRIX, price=1000, stock_each=5):
    return [{"specs": combo, "price_fen": price + i * 10, "original_price_fen": 2000, "cost_fen": 500,
             "stock": stock_each, "weight_g": 300, "code": f"C{i}", "image_url": ""}
            for i, combo in enumerate(skus.combinations(matrix))]


def test_every_combination_of_the_matrix_becomes_one_sku(app):
    item = factories.product(factories.category())
    skus.save_matrix(SYSTEM, item, MATRIX, _rows())
    db.session.commit()
    saved = db.session.get(Product, item.id)
    assert [s.specs for s in saved.skus] == [
        {"颜色": "红", "尺码": "S"}, {"颜色": "红", "尺码": "M"}, {"颜色": "红", "尺码": "L"},
        {"颜色": "蓝", "尺码": "S"}, {"颜色": "蓝", "尺码": "M"}, {"颜色": "蓝", "尺码": "L"}]
    assert saved.spec_matrix == MATRIX
    assert saved.min_price_fen == 1000


def test_resaving_keeps_the_ids_of_combinations_that_remain(app):
    item = factories.product(factories.category())
    skus.save_matrix(SYSTEM, item, MATRIX, _rows())
    db.session.commit()
    red_s = next(s.id for s in item.skus if s.specs == {"颜色": "红", "尺码": "S"})
    smaller = [{"name": "颜色", "values": ["红"]}, {"name": "尺码", "values": ["S", "M", "L"]}]
    skus.save_matrix(SYSTEM, item, smaller, _rows(smaller, price=900))
    db.session.commit()
    assert len(item.skus) == 3 and red_s in {s.id for s in item.skus}
    assert db.session.get(Product, item.id).min_price_fen == 900


@pytest.mark.parametrize("matrix, rows, field", [
    ([{"name": "颜色", "values": ["红", "红"]}], None, "spec_matrix.0.values"),
    ([{"name": "", "values": ["红"]}], None, "spec_matrix.0.name"),
    (MATRIX, "missing-one", "skus"),
    (MATRIX, "negative-price", "skus.0.price_fen"),
    (MATRIX, "unknown-combo", "skus.0.specs"),
])
def test_a_bad_matrix_or_sku_is_refused_field_by_field(app, matrix, rows, field):
    item = factories.product(factories.category())
    before = [(s.id, s.price_fen) for s in item.skus]
    given = _rows(matrix) if rows is None else _rows()
    if rows == "missing-one":
        given = given[1:]
    elif rows == "negative-price":
        given[0]["price_fen"] = -1
    elif rows == "unknown-combo":
        given[0]["specs"] = {"颜色": "绿", "尺码": "S"}
    with pytest.raises(ValidationError) as refused:
        skus.save_matrix(SYSTEM, item, matrix, given)
    assert field in refused.value.fields
    db.session.rollback()
    assert [(s.id, s.price_fen) for s in db.session.get(Product, item.id).skus] == before


def test_batch_set_price_stock_and_weight_across_skus(app):
    item = factories.product(factories.category(), skus=4, price_fen=1000)
    assert skus.batch_set(SYSTEM, item, "price_fen", 1500) == 4
    first_two = [s.id for s in item.skus[:2]]
    skus.batch_set(SYSTEM, item, "stock", 99, sku_ids=first_two)
    skus.batch_set(SYSTEM, item, "weight_g", 250)
    db.session.commit()
    fresh = db.session.get(Product, item.id)
    assert {s.price_fen for s in fresh.skus} == {1500} and fresh.min_price_fen == 1500
    assert [s.stock for s in fresh.skus] == [99, 99, 10, 10]
    assert {s.weight_g for s in fresh.skus} == {250}
    assert db.session.query(AuditEntry).filter_by(action="product.batch_price_fen").count() == 1


def test_batch_set_refuses_bad_fields_values_and_foreign_skus(app):
    item = factories.product(factories.category(), skus=2)
    other = factories.product(factories.category())
    for field, value, ids in (("cost_of_living", 1, None), ("price_fen", -1, None), ("stock", "5", None),
                              ("stock", 5, [other.skus[0].id])):
        with pytest.raises(ValidationError):
            skus.batch_set(SYSTEM, item, field, value, sku_ids=ids)


def test_stock_is_taken_only_when_there_is_enough(app):
    item = factories.product(factories.category(), stock=3)
    sku_id = item.skus[0].id
    assert stock.take(sku_id, 2) is True
    assert stock.take(sku_id, 2) is False
    db.session.commit()
    assert db.session.get(Sku, sku_id).stock == 1


def test_when_the_shop_asks_selling_the_last_unit_takes_the_product_off_shelf(client, app):
    shop_settings().auto_off_shelf_when_sold_out = True
    item = factories.product(factories.category(), stock=1)
    assert stock.take(item.skus[0].id, 1)
    db.session.commit()
    db.session.expire_all()
    assert (item.is_on_shelf, item.off_shelf_reason) == (False, "sold_out")
    assert client.get(f"/api/v1/products/{item.id}").status_code == 404
    assert db.session.query(AuditEntry).filter_by(action="product.shelf").one().after["reason"] == "sold_out"


def test_with_auto_off_shelf_disabled_a_sold_out_product_stays_and_says_so(client, app):
    shop_settings().auto_off_shelf_when_sold_out = False
    item = factories.product(factories.category(), stock=1)
    assert stock.take(item.skus[0].id, 1)
    db.session.commit()
    body = client.get(f"/api/v1/products/{item.id}").get_json()
    assert body["sold_out"] is True and body["stock"] == 0


def test_batch_stock_zero_also_triggers_auto_off_shelf(app):
    shop_settings().auto_off_shelf_when_sold_out = True
    item = factories.product(factories.category(), skus=2)
    skus.batch_set(SYSTEM, item, "stock", 0)
    assert item.is_on_shelf is False


def test_low_stock_uses_each_products_own_threshold(app):
    from app.catalog import manage

    shelf = factories.category()
    calm = factories.product(shelf, stock=8, stock_alert_threshold=5)
    worried = factories.product(shelf, stock=8, stock_alert_threshold=10)
    low = db.session.scalars(manage.product_list(low_stock=True)).all()
    assert [p.id for p in low] == [worried.id]
    assert stock.low_stock_skus(calm) == [] and len(stock.low_stock_skus(worried)) == 1
