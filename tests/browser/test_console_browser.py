"""The console in a real browser: log in, see the dashboard, manage staff, switch language."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.admin_helpers import PASSWORD, make_staff


def _log_in(page, username: str = "boss") -> None:
    page.goto("/admin/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def test_owner_logs_in_and_sees_the_dashboard_with_charts(page, live_app):
    make_staff()
    _log_in(page)
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.get_by_role("heading", name="仪表盘")).to_be_visible()
    expect(page.locator("[data-chart='sales'] canvas")).to_have_count(1)  # ECharts drew, no CSP violation
    assert page.console_errors == []


def test_owner_adds_a_staff_member_and_the_change_is_audited(page, live_app):
    make_staff()
    _log_in(page)
    page.get_by_role("link", name="员工与角色").click()
    page.get_by_role("link", name="新增员工").click()
    page.get_by_label("用户名").fill("xiaowang")
    page.get_by_label("显示名称").fill("小王")
    page.get_by_label("角色").select_option(label="客服")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text(re.compile("初始密码"))).to_be_visible()
    expect(page.get_by_role("cell", name="小王")).to_be_visible()
    page.get_by_role("link", name="操作日志").click()
    expect(page.locator("table.audit").get_by_text("添加员工")).to_be_visible()


def test_switching_to_english(page, live_app):
    make_staff()
    _log_in(page)
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()


def test_a_bad_password_shows_a_field_error(page, live_app):
    make_staff()
    page.goto("/admin/login")
    page.get_by_label("用户名").fill("boss")
    page.get_by_label("密码").fill("not the password")
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_text("用户名或密码错误。")).to_be_visible()
