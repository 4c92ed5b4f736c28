"""The console's categories page: a two-level tree, its rules, deletion only when empty,
the audit trail, and the storefront following every change."""

from __future__ import annotations

from app.audit.models import AuditEntry
from app.catalog.models import Category
from app.extensions import db
from tests import factories
from tests.admin_helpers import log_in, make_staff, post


def _console(app, role: str = "operator"):
    make_staff(f"u_{role}", role=role)
    client = app.test_client()
    log_in(client, f"u_{role}")
    return client


def _save(console, path: str, token_path: str = "/admin/categories/new", **fields):
    data = {"name": "", "parent_id": "", "icon_url": "", "sort": "0", "is_visible": "1", **fields}
    return post(console, path, data, token_path=token_path)


def _storefront_names(client) -> list[str]:
    tree = client.get("/api/v1/categories").get_json()["items"]
    return [top["name"] for top in tree] + [kid["name"] for top in tree for kid in top["children"]]


def test_a_top_category_and_a_child_show_on_the_storefront_at_once(app, client):
    console = _console(app)
    assert client.get("/api/v1/categories").get_json()["items"] == []
    assert _save(console, "/admin/categories/new", name="水果", sort="5").status_code == 302
    top = db.session.query(Category).filter_by(name="水果").one()
    assert _save(console, "/admin/categories/new", name="苹果", parent_id=str(top.id)).status_code == 302
    assert _storefront_names(client) == ["水果", "苹果"]
    assert [e.action for e in db.session.query(AuditEntry).order_by(AuditEntry.id)] == ["category.create"] * 2
    html = console.get("/admin/categories").get_data(as_text=True)
    assert "水果" in html and "苹果" in html


def test_hiding_a_category_removes_it_from_the_storefront_and_is_audited(app, client):
    top = factories.category("零食")
    assert _storefront_names(client) == ["零食"]
    console = _console(app)
    assert _save(console, f"/admin/categories/{top.id}", name="零食", is_visible="").status_code == 302
    assert _storefront_names(client) == []
    entry = db.session.query(AuditEntry).filter_by(action="category.update").one()
    assert entry.before == {"is_visible": True} and entry.after == {"is_visible": False}


def test_a_parent_must_be_a_top_category_and_names_are_unique_among_siblings(app):
    top = factories.category("服装")
    child = factories.category("上衣", parent=top)
    console = _console(app)
    response = _save(console, "/admin/categories/new", name="T恤", parent_id=str(child.id))
    assert response.status_code == 422 and "请选择一个一级分类" in response.get_data(as_text=True)
    response = _save(console, f"/admin/categories/{top.id}", name="服装", parent_id=str(factories.category().id))
    assert response.status_code == 422 and "有子分类的分类只能是一级分类" in response.get_data(as_text=True)
    response = _save(console, "/admin/categories/new", name="上衣", parent_id=str(top.id))
    assert response.status_code == 422 and "同级下已有同名分类" in response.get_data(as_text=True)
    for bad in ({"name": " "}, {"name": "x" * 33}, {"name": "ok", "sort": "abc"}):
        assert _save(console, "/admin/categories/new", **bad).status_code == 422
    assert db.session.query(Category).count() == 3


def test_only_an_empty_category_can_be_deleted(app, client):
    top = factories.category("数码")
    child = factories.category("耳机", parent=top)
    product = factories.product(child)
    child_id = child.id
    console = _console(app)
    response = post(console, f"/admin/categories/{top.id}/delete", token_path="/admin/categories")
    assert response.status_code == 302
    assert "还有 1 个子分类" in console.get("/admin/categories").get_data(as_text=True)
    post(console, f"/admin/categories/{child.id}/delete", token_path="/admin/categories")
    assert "还有 1 个商品" in console.get("/admin/categories").get_data(as_text=True)
    assert db.session.query(Category).count() == 2
    product.category_id = top.id
    db.session.commit()
    post(console, f"/admin/categories/{child_id}/delete", token_path="/admin/categories")
    db.session.expire_all()
    assert db.session.get(Category, child_id) is None
    assert _storefront_names(client) == ["数码"]
    assert db.session.query(AuditEntry).filter_by(action="category.delete").one().summary == "耳机"


def test_a_role_without_products_cannot_touch_categories(app):
    top = factories.category("家居")
    console = _console(app, "finance")
    assert console.get("/admin/categories").status_code == 403
    assert _save(console, f"/admin/categories/{top.id}", "/admin/", name="改名").status_code == 403
    assert post(console, f"/admin/categories/{top.id}/delete").status_code == 403
    db.session.expire_all()
    assert db.session.get(Category, top.id).name == "家居"


def test_category_changes_need_the_csrf_token(app):
    top = factories.category("家居")
    console = _console(app)
    response = console.post(f"/admin/categories/{top.id}", data={"name": "改名", "sort": "0", "is_visible": "1"})
    assert response.status_code == 400
    assert console.post(f"/admin/categories/{top.id}/delete").status_code == 400
    db.session.expire_all()
    assert db.session.get(Category, top.id).name == "家居"
