"""Catalogue completion: sanitised detail, images, schedule, visibility reasons."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.audit.services import SYSTEM
from app.catalog import manage, visibility
from app.catalog.models import Product
from app.core.errors import ValidationError
from app.core.models import utcnow
from app.extensions import db
from tests import factories


def _details(product: Product, **changes) -> dict:
    return {key: getattr(product, key) for key in manage.DETAIL_FIELDS} | changes


def test_detail_html_loses_scripts_handlers_and_javascript_urls(app):
    item = factories.product(factories.category())
    dirty = ('<p onclick="steal()">好货<script>alert(1)</script></p><img src="x.png" onerror="alert(1)">'
             '<a href="javascript:alert(1)">看看</a><iframe src="https://evil"></iframe><img src="/media/a.png">')
    manage.update_details(SYSTEM, item, _details(item, detail_html=dirty))
    db.session.commit()
    html = db.session.get(Product, item.id).detail_html
    assert "script" not in html and "onclick" not in html and "onerror" not in html
    assert "javascript:" not in html and "iframe" not in html
    assert "<p>好货</p>" in html and '<img src="/media/a.png">' in html


def test_up_to_nine_images_in_order_and_the_first_is_the_cover(app):
    item = factories.product(factories.category())
    images = [f"/media/p/{n}.png" for n in range(9)]
    manage.update_details(SYSTEM, item, _details(item, image_urls=images))
    assert (item.image_urls, item.cover_url) == (images, "/media/p/0.png")
    with pytest.raises(ValidationError) as refused:
        manage.update_details(SYSTEM, item, _details(item, image_urls=[*images, "/media/p/9.png"]))
    assert "image_urls" in refused.value.fields


def test_a_scheduled_product_shows_only_inside_its_window(client, app):
    shelf = factories.category()
    now = utcnow()
    later = factories.product(shelf, "下周上架", on_shelf_at=now + timedelta(days=7))
    ended = factories.product(shelf, "已下架", off_shelf_at=now - timedelta(minutes=1))
    running = factories.product(shelf, "限时", on_shelf_at=now - timedelta(days=1),
                                off_shelf_at=now + timedelta(days=1))
    titles = [item["title"] for item in client.get("/api/v1/products").get_json()["items"]]
    assert titles == ["限时"]
    assert client.get(f"/api/v1/products/{later.id}").status_code == 404
    assert [r.code for r in visibility.why_not_visible(later)] == ["scheduled"]
    assert [r.code for r in visibility.why_not_visible(ended)] == ["schedule_ended"]
    assert visibility.why_not_visible(running) == []


def test_the_schedule_job_writes_down_what_is_due(app, runner):
    shelf = factories.category()
    now = utcnow()
    launched = factories.product(shelf, on_shelf_at=now - timedelta(minutes=5))
    withdrawn = factories.product(shelf, off_shelf_at=now - timedelta(minutes=5))
    result = runner.invoke(args=["catalog", "apply-schedule"])
    assert "launched 1, withdrawn 1" in result.output
    db.session.expire_all()
    assert (launched.is_on_shelf, launched.on_shelf_at) == (True, None)
    assert (withdrawn.is_on_shelf, withdrawn.off_shelf_reason) == (False, "schedule")
    assert runner.invoke(args=["catalog", "apply-schedule"]).output.strip() == "launched 0, withdrawn 0"


def test_the_console_is_told_every_reason_a_product_is_hidden(app):
    top = factories.category("服饰", visible=False)
    child = factories.category("女装", parent=top, visible=False)
    item = factories.product(child, on_shelf=False)
    item.off_shelf_reason = "manual"
    item.deleted_at = utcnow()
    db.session.commit()
    codes = [reason.code for reason in visibility.why_not_visible(item)]
    assert codes == ["deleted", "off_shelf", "category_hidden", "parent_category_hidden"]
    assert all(reason.message for reason in visibility.why_not_visible(item))


def test_a_product_in_a_visible_child_of_a_hidden_top_does_not_show(client, app):
    top = factories.category("隐藏大类", visible=False)
    child = factories.category("可见小类", parent=top)
    item = factories.product(child)
    assert client.get("/api/v1/products").get_json()["items"] == []
    assert client.get(f"/api/v1/products/{item.id}").status_code == 404
    assert [r.code for r in visibility.why_not_visible(item)] == ["parent_category_hidden"]


def test_a_visible_product_with_no_stock_says_it_shows_as_sold_out(app):
    from app.shop.services import shop_settings

    shop_settings().auto_off_shelf_when_sold_out = False
    item = factories.product(factories.category(), stock=0)
    assert [r.code for r in visibility.why_not_visible(item)] == ["no_stock"]


def test_hiding_a_category_hides_its_products_at_once(client, app):
    shelf = factories.category()
    factories.product(shelf, "会被隐藏")
    assert client.get("/api/v1/products").get_json()["total"] == 1
    shelf.is_visible = False
    db.session.commit()
    assert client.get("/api/v1/products").get_json()["total"] == 0
