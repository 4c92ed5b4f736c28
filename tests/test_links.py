"""Typed links (app/shop/links.py) and the link picker's answer: what a picked product,
category or page, or a typed path or web address, is stored as and which mini-program page it
opens; anything else is refused naming the field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.shop import links
from tests import factories
from tests.admin_helpers import log_in, make_staff

JSON = {"Accept": "application/json"}
APP_JSON = Path(__file__).resolve().parent.parent / "miniprogram" / "app.json"


def mini_program_pages() -> set[str]:
    config = json.loads(APP_JSON.read_text(encoding="utf-8"))
    pages = set(config["pages"])
    for package in config.get("subPackages", []):
        pages |= {f"{package['root']}/{page}" for page in package["pages"]}
    return pages


def test_every_page_a_link_may_open_is_a_page_of_the_mini_program():
    assert mini_program_pages() >= links.EVERY_PAGE
    assert {path for path, _title in links.PAGES} <= links.EVERY_PAGE


@pytest.fixture
def console(app):
    make_staff("linker")
    client = app.test_client()
    log_in(client, "linker")
    return client


def test_picked_products_categories_and_pages_become_typed_links(app, console):
    fruit = factories.category("水果")
    apple = factories.product(fruit, "红富士苹果")
    answer = console.get(f"/admin/pick/link?type=product&id={apple.id}", headers=JSON).get_json()
    assert answer == {"link": {"type": "product", "id": apple.id, "title": "红富士苹果"},
                      "path": f"pages/product/index?id={apple.id}"}
    answer = console.get(f"/admin/pick/link?type=category&id={fruit.id}", headers=JSON).get_json()
    assert answer["link"] == {"type": "category", "id": fruit.id, "title": "水果"}
    assert answer["path"] == f"pages/list/index?category_id={fruit.id}&title=%E6%B0%B4%E6%9E%9C"
    answer = console.get("/admin/pick/link?type=page&path=pages/cart/index", headers=JSON).get_json()
    assert answer == {"link": {"type": "page", "path": "pages/cart/index", "title": "购物车"},
                      "path": "pages/cart/index"}
    pages = console.get("/admin/pick/pages", headers=JSON).get_json()["items"]
    assert {"id": "packages/distribution/index", "title": "分销中心", "subtitle": "packages/distribution/index",
            "image": ""} in pages


def test_typed_paths_and_web_addresses_are_checked(app, console):
    answer = console.get("/admin/pick/link?type=path&path=/pages/home/index?from=menu", headers=JSON).get_json()
    typed = "pages/home/index?from=menu"
    assert answer == {"link": {"type": "path", "path": typed, "title": typed}, "path": typed}
    answer = console.get("/admin/pick/link?type=url&url=https://example.com/a", headers=JSON).get_json()
    assert answer == {"link": {"type": "url", "url": "https://example.com/a", "title": "https://example.com/a"},
                      "path": None}
    for query, field in (("type=path&path=pages/nowhere/index", "path"),
                         ("type=path&path=pages/home/index?a=1 2", "path"),
                         ("type=url&url=http://example.com", "url"), ("type=url&url=javascript:alert(1)", "url"),
                         ("type=page&path=pages/product/index", "path"), ("type=article&id=1", "type")):
        refused = console.get(f"/admin/pick/link?{query}", headers=JSON)
        assert refused.status_code == 422, query
        assert field in refused.get_json()["error"]["fields"], query
    for query in ("type=product&id=999999", "type=product&id=x", "type=category&id="):
        assert console.get(f"/admin/pick/link?{query}", headers=JSON).status_code == 404, query


def test_a_deleted_product_is_not_a_link(app, console):
    from app.core.models import utcnow
    from app.extensions import db

    product = factories.product(factories.category())
    product.deleted_at = utcnow()
    db.session.commit()
    assert console.get(f"/admin/pick/link?type=product&id={product.id}", headers=JSON).status_code == 404
