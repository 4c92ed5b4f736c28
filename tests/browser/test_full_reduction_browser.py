"""The full-reduction form in a real browser: the merchant adds tiers with the tiers editor,
switches one to a rate, picks the products by name for a chosen-products scope, and saves."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.marketing.full_reduction_models import FullReductionActivity
from tests import factories
from tests.admin_helpers import make_staff
from tests.browser.console_login import log_in


def test_a_merchant_builds_an_activity_with_the_tiers_editor(page, live_app, live_server):
    make_staff()
    tea = factories.product(factories.category("茶叶"), "明前龙井")
    log_in(page, create=False)
    page.goto("/admin/marketing/full-reductions/new")
    page.get_by_label("名称", exact=True).fill("春茶满减")
    page.get_by_label("范围", exact=True).select_option("products")
    page.get_by_role("button", name="选择商品").click()
    dialog = page.locator("#picker-dialog")
    dialog.get_by_role("button", name="明前龙井").click()
    dialog.get_by_role("button", name="确定").click()
    expect(page.locator("[data-pick-field=product_ids]").get_by_text("明前龙井")).to_be_visible()
    rows = page.locator(".tier-row")
    expect(rows).to_have_count(1)
    rows.nth(0).get_by_label("满（元）").fill("99")
    rows.nth(0).get_by_label("减（元）").fill("10")
    page.get_by_role("button", name="添加一档").click()
    expect(rows).to_have_count(2)
    rows.nth(1).get_by_label("满（元）").fill("199")
    rows.nth(1).get_by_label("优惠方式").select_option("rate")
    rows.nth(1).locator("input[name='tier-1-value']").fill("8.5")
    rows.nth(1).get_by_label("包邮").check()
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已保存。")).to_be_visible()
    expect(page.get_by_text("满99减10")).to_be_visible()
    db.session.rollback()  # a new transaction: MariaDB's repeatable read would show the old rows
    row = db.session.scalar(select(FullReductionActivity))
    assert (row.name, row.scope, row.scope_ids) == ("春茶满减", "products", [tea.id])
    assert [(t.threshold, t.off_fen, t.pay_rate_bp, t.free_shipping) for t in row.tiers] == [
        (9900, 1000, 10_000, False), (19900, 0, 8500, True)]
