"""Logging into the console in the browser, as a merchant does: the login form, then the dashboard."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.admin_helpers import PASSWORD, make_staff


def log_in(page, username: str = "boss", *, create: bool = True) -> None:
    """Log `username` in through the form (creating the owner account first unless told not
    to) and wait for the dashboard, scripts and all (a click before they ran does nothing:
    seen on a loaded CI machine)."""
    if create:
        make_staff(username)
    page.goto("/admin/login")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    page.wait_for_load_state("load")  # the dashboard's scripts ran: its buttons answer clicks
