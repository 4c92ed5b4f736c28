"""The picker dialog in a real browser: the merchant appoints an agent by searching for the
member and clicking them, never typing an id, then filters the commission ledger by picking
that agent."""

from __future__ import annotations

from playwright.sync_api import expect

from app.distribution.agents import agent_of
from app.extensions import db
from tests import factories
from tests.admin_helpers import make_staff
from tests.browser.console_login import log_in


def test_appoint_an_agent_and_filter_the_ledger_through_the_pickers(page, live_app, live_server):
    make_staff()
    factories.shopper("陈大文")
    member = factories.shopper("陈小文")
    log_in(page, create=False)
    page.goto("/admin/distribution/agents")
    appoint = page.locator("#appoint-form")
    appoint.get_by_role("button", name="选择", exact=True).click()
    dialog = page.locator("#picker-dialog")
    expect(dialog.get_by_role("heading", name="选择会员")).to_be_visible()
    dialog.get_by_role("textbox").fill("陈小")
    dialog.get_by_role("button", name="搜索").click()
    expect(dialog.locator(".picker-items button")).to_have_count(1)
    dialog.get_by_role("button", name=f"#{member.id} 陈小文").click()
    expect(dialog).to_be_hidden()
    expect(appoint.locator("input[readonly]")).to_have_value(f"#{member.id} 陈小文")
    appoint.get_by_role("button", name="任命分销员").click()
    expect(page.get_by_text("已任命。")).to_be_visible()
    db.session.rollback()  # a new transaction: MariaDB's repeatable read would show the old rows
    assert agent_of(member.id).status == "active"
    # the ledger, filtered by picking the agent
    page.goto("/admin/distribution/entries")
    page.get_by_role("button", name="选择", exact=True).click()
    expect(dialog.get_by_role("heading", name="选择分销员")).to_be_visible()
    dialog.get_by_role("button", name=f"#{member.id} 陈小文").click()
    page.get_by_role("button", name="搜索").first.click()
    expect(page).to_have_url(f"{live_server.url}/admin/distribution/entries?user_id={member.id}")
    expect(page.locator("input[readonly]")).to_have_value(f"#{member.id} 陈小文")


def test_the_products_that_make_an_agent_are_picked_by_name(page, live_app, live_server):
    from app.distribution.settings import current

    make_staff()
    fruit = factories.category("礼包")
    starter, bigger = factories.product(fruit, "新人礼包"), factories.product(fruit, "豪华礼包")
    factories.product(fruit, "普通商品")
    log_in(page, create=False)
    page.goto("/admin/distribution/settings")
    page.locator("#become_agent").select_option("product")
    page.get_by_role("button", name="选择商品").click()
    dialog = page.locator("#picker-dialog")
    dialog.get_by_role("textbox").fill("礼包")
    dialog.get_by_role("button", name="搜索").click()
    expect(dialog.locator(".picker-items button")).to_have_count(2)
    dialog.get_by_role("button", name="新人礼包").click()
    dialog.get_by_role("button", name="豪华礼包").click()
    expect(dialog.get_by_text("已选 2 项")).to_be_visible()
    dialog.get_by_role("button", name="确定").click()
    chosen = page.locator('[data-pick-field="become_product_ids"]')
    expect(chosen.locator(".badge")).to_have_text(["新人礼包", "豪华礼包"])
    chosen.locator(".badge").nth(1).get_by_role("button", name="移除").click()
    expect(chosen.locator(".badge")).to_have_text(["新人礼包"])
    page.get_by_role("button", name="保存").last.click()
    expect(page.get_by_text("已保存。")).to_be_visible()
    db.session.rollback()  # a new transaction: MariaDB's repeatable read would show the old rows
    assert current().become_agent == "product" and current().become_product_ids == [starter.id]
    expect(page.locator('[data-pick-field="become_product_ids"] .badge')).to_have_text(["新人礼包"])
    assert bigger.id not in current().become_product_ids
