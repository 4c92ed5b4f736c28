"""The orders console in a real browser: find an order, ship part of it, print its delivery note."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests import factories
from tests.admin_helpers import PASSWORD, make_staff


def test_merchant_ships_part_of_an_order_and_prints_the_delivery_note(page, live_app):
    make_staff()
    product = factories.product(factories.category(), "手冲咖啡壶", stock=10)
    order = factories.order(factories.shopper("小花"), [(product.skus[0], 3)], status="paid")
    page.goto("/admin/login")
    page.get_by_label("用户名").fill("boss")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    # the order is found from the sidebar and the awaiting-shipment tab
    page.locator("nav.sidebar").get_by_role("link", name="订单").click()
    page.locator("#order-tabs").get_by_role("link", name=re.compile("待发货")).click()
    page.get_by_role("link", name=order.order_no).click()
    expect(page.locator("#status-meaning")).to_contain_text("等待发货")
    # one of three units leaves in a 中通 parcel
    page.get_by_label("发货件数").fill("1")
    page.get_by_label("快递公司").select_option(label="中通快递")
    page.get_by_label("快递单号").fill("7731234567890")
    page.get_by_role("button", name="发出此包裹").click()
    expect(page.get_by_text("已发货。")).to_be_visible()
    expect(page.locator("[data-parcel='7731234567890']")).to_contain_text("手冲咖啡壶 × 1")
    expect(page.get_by_label("发货件数")).to_have_value("2")
    expect(page.locator("#timeline")).to_contain_text("包裹发出")
    # the delivery note prints through our own script (no inline script under the CSP)
    page.get_by_role("link", name="打印出货单").click()
    expect(page.get_by_role("heading", name="出货单")).to_be_visible()
    page.evaluate("window.print = function () { window.__printed = true; }")
    page.get_by_role("button", name="打印").click()
    assert page.evaluate("window.__printed") is True
    assert page.console_errors == []
