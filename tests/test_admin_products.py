"""Products in the console: list, shelf on/off, basic edits — and who may do them."""

from __future__ import annotations

from app.audit.models import AuditEntry
from app.catalog.models import Product
from app.extensions import db
from tests import factories
from tests.admin_helpers import log_in, make_staff, post


def _client_as(app, role: str):
    make_staff(f"u_{role}", role=role)
    client = app.test_client()
    log_in(client, f"u_{role}")
    return client


def test_a_finance_user_cannot_edit_products(app):
    product = factories.product(factories.category(), "坚果礼盒")
    client = _client_as(app, "finance")
    assert client.get("/admin/products").status_code == 403
    assert post(client, f"/admin/products/{product.id}/shelf", {"on_shelf": "0"}).status_code == 403
    assert post(client, f"/admin/products/{product.id}",
                {"title": "改名", "sort": "0"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(Product, product.id).is_on_shelf and product.title == "坚果礼盒"


def test_an_operator_takes_a_product_off_the_shelf_and_it_leaves_the_storefront(app, client):
    product = factories.product(factories.category(), "坚果礼盒")
    console = _client_as(app, "operator")
    response = post(console, f"/admin/products/{product.id}/shelf", {"on_shelf": "0"}, token_path="/admin/products")
    assert response.status_code == 302
    assert client.get(f"/api/v1/products/{product.id}").status_code == 404
    entry = db.session.query(AuditEntry).filter_by(action="product.shelf").one()
    assert entry.before == {"is_on_shelf": True} and entry.after == {"is_on_shelf": False}


def test_list_filters_by_shelf_and_keyword(app):
    shelf = factories.category("零食")
    factories.product(shelf, "牛肉干")
    factories.product(shelf, "鸡蛋糕", on_shelf=False)
    client = _client_as(app, "owner")
    off = client.get("/admin/products?shelf=off").get_data(as_text=True)
    assert "鸡蛋糕" in off and "牛肉干" not in off
    assert "鸡蛋糕" not in client.get("/admin/products?q=牛肉").get_data(as_text=True)


def test_editing_basics_records_only_the_change(app):
    product = factories.product(factories.category(), "坚果礼盒")
    client = _client_as(app, "owner")
    response = post(client, f"/admin/products/{product.id}", {"title": "每日坚果礼盒", "subtitle": "", "sort": "0"},
                    token_path=f"/admin/products/{product.id}")
    assert response.status_code == 302
    entry = db.session.query(AuditEntry).filter_by(action="product.update").one()
    assert entry.before == {"title": "坚果礼盒"} and entry.after == {"title": "每日坚果礼盒"}
