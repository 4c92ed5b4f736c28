"""The flash sale form in a real browser: the merchant picks a product by name, asks for its
SKUs, fills one SKU's flash price and stock, ticks a session and saves; the stock is set aside."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import select

from app.catalog.models import Sku
from app.extensions import db
from app.marketing.flash_models import FlashActivity
from tests import factories
from tests.admin_helpers import make_staff
from tests.browser.console_login import log_in
from tests.flash_helpers import session


def test_a_merchant_builds_a_flash_sale_from_a_picked_product(page, live_app, live_server):
    make_staff()
    ten = session("10:00场", "10:00")
    earphones = factories.product(factories.category("数码"), "降噪耳机", price_fen=29900, skus=2, stock=50)
    red, blue = sorted(earphones.skus, key=lambda sku: sku.id)
    log_in(page, create=False)
    page.goto("/admin/marketing/flash-sales/new")
    page.get_by_label("名称", exact=True).fill("午间秒杀")
    page.get_by_label("10:00场").check()
    page.get_by_role("button", name="选择商品").click()
    dialog = page.locator("#picker-dialog")
    dialog.get_by_role("button", name="降噪耳机").click()
    dialog.get_by_role("button", name="确定").click()
    page.get_by_role("button", name="显示规格").click()
    expect(page.locator(f"input[name='sku-{red.id}-price']")).to_be_visible()
    expect(page.get_by_label("10:00场")).to_be_checked()
    page.locator(f"input[name='sku-{red.id}-price']").fill("199")
    page.locator(f"input[name='sku-{red.id}-stock']").fill("10")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已保存。")).to_be_visible()
    expect(page.get_by_text("午间秒杀")).to_be_visible()
    db.session.rollback()  # a new transaction: MariaDB's repeatable read would show the old rows
    row = db.session.scalar(select(FlashActivity))
    assert row.session_ids == [ten.id]
    assert [(item.sku_id, item.flash_price_fen, item.stock) for item in row.items] == [(red.id, 19900, 10)]
    assert (db.session.get(Sku, red.id).stock, db.session.get(Sku, blue.id).stock) == (40, 50)


def test_a_merchant_adds_a_session_with_the_time_picker_and_stops_a_sale_after_confirming(page, live_app,
                                                                                          live_server):
    from tests.flash_helpers import sale

    make_staff()
    log_in(page, create=False)
    page.goto("/admin/marketing/flash-sessions/new")
    page.get_by_label("名称", exact=True).fill("20:00场")
    page.get_by_label("开始时间（北京时间）").fill("20:00")
    page.get_by_label("持续时长（分钟）").fill("90")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("20:00–21:30")).to_be_visible()
    db.session.rollback()
    whole_day = session("全天场", "00:00", 1200)
    sku = factories.product(factories.category(), "保温杯", price_fen=9900, stock=20).skus[0]
    sale([(sku, 4900, 5)], [whole_day], name="保温杯秒杀")
    page.goto("/admin/marketing/flash-sales")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="停止").click()
    expect(page.get_by_text("秒杀已停止：5 件未售出库存已退回商品。")).to_be_visible()
    expect(page.get_by_role("cell", name="已提前结束")).to_be_visible()
    db.session.rollback()
    assert db.session.get(Sku, sku.id).stock == 20
