"""The picker dialog in a real browser: the merchant appoints an agent by searching for the
member and clicking them, never typing an id, then filters the commission ledger by picking
that agent."""

from __future__ import annotations

from playwright.sync_api import expect

from app.distribution.agents import agent_of
from app.extensions import db
from tests import factories
from tests.admin_helpers import PASSWORD, make_staff


def test_appoint_an_agent_and_filter_the_ledger_through_the_pickers(page, live_app, live_server):
    make_staff()
    factories.shopper("陈大文")
    member = factories.shopper("陈小文")
    page.goto("/admin/login")
    page.get_by_label("用户名").fill("boss")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
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
    db.session.expire_all()
    assert agent_of(member.id).status == "active"
    # the ledger, filtered by picking the agent
    page.goto("/admin/distribution/entries")
    page.get_by_role("button", name="选择", exact=True).click()
    expect(dialog.get_by_role("heading", name="选择分销员")).to_be_visible()
    dialog.get_by_role("button", name=f"#{member.id} 陈小文").click()
    page.get_by_role("button", name="搜索").first.click()
    expect(page).to_have_url(f"{live_server.url}/admin/distribution/entries?user_id={member.id}")
    expect(page.locator("input[readonly]")).to_have_value(f"#{member.id} 陈小文")
