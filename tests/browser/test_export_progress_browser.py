"""The export page in a real browser: the progress bar follows the job and offers the file."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from app.audit.services import Actor
from app.core.jobs import run_job
from app.exports import services
from app.extensions import db
from tests import factories
from tests.admin_helpers import PASSWORD, make_staff


def test_the_progress_bar_follows_a_running_export_and_then_offers_the_download(page, live_app):
    boss = make_staff()
    sku = factories.product(factories.category(), "龙井").skus[0]
    for _ in range(2):
        factories.order(factories.shopper(), [(sku, 1)], status="paid")
    export, _created = services.request_order_export(Actor(boss.id), {"status": "paid"})
    export_id = export.id
    db.session.commit()
    page.goto("/admin/login")
    page.get_by_label("用户名").fill("boss")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()

    page.goto(f"/admin/exports/{export_id}")
    expect(page.locator(".export-status")).to_have_text("排队中")
    expect(page.locator(".export-download")).to_be_hidden()
    run_job("app.exports.jobs:export_orders", export_id)  # what a worker would do meanwhile

    expect(page.locator(".export-status")).to_have_text("已完成")
    expect(page.locator(".export-count")).to_have_text("已导出 2 / 2 行")
    expect(page.locator(".export-bar")).to_have_attribute("value", "100")
    with page.expect_download() as download:
        page.locator(".export-download").click()
    assert re.fullmatch(r"订单导出-\d{8}-\d{4}\.xlsx", download.value.suggested_filename)
    assert page.console_errors == []


def test_the_order_lists_export_button_exports_the_filtered_orders(page, live_app):
    # given two paid orders and a completed one, and the list filtered to the paid ones
    make_staff()
    sku = factories.product(factories.category(), "龙井").skus[0]
    for status in ("paid", "paid", "completed"):
        factories.order(factories.shopper(), [(sku, 1)], status=status)
    db.session.commit()
    page.goto("/admin/login")
    page.get_by_label("用户名").fill("boss")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.goto("/admin/orders?status=paid")
    # when the merchant clicks 导出 Excel
    page.get_by_role("button", name="导出 Excel").click()
    # then the export of those two orders starts and its page shows it through
    expect(page).to_have_url(re.compile(r"/admin/exports/\d+$"))
    expect(page.locator(".export-status")).to_have_text("已完成")
    expect(page.locator(".export-count")).to_have_text("已导出 2 / 2 行")
    assert page.console_errors == []
