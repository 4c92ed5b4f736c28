"""The poster console in a real browser: every template's live preview loads (no CSP
violation), setting a default marks it, and the report page shows its tables."""

from __future__ import annotations

import os

from playwright.sync_api import expect

from tests.admin_helpers import make_staff
from tests.browser.test_console_browser import _log_in

ALL_PREVIEWS_LOADED = ("() => { const images = [...document.querySelectorAll('[data-template] img')];"
                       " return images.length > 0 && images.every(i => i.complete && i.naturalWidth > 0); }")


def test_the_template_previews_load_and_a_default_can_be_set(page, live_app):
    make_staff()
    _log_in(page)
    page.goto("/admin/posters")
    expect(page.locator("[data-template]")).to_have_count(5)
    page.wait_for_function(ALL_PREVIEWS_LOADED, timeout=60_000)
    if os.environ.get("POSTER_SCREENSHOT"):
        page.screenshot(path=os.environ["POSTER_SCREENSHOT"], full_page=True)

    page.locator("[data-template='invite-warm'] form[action$='/default'] button").click()

    expect(page.locator("[data-template='invite-warm'] .badge.text-bg-primary")).to_be_visible()
    assert page.console_errors == []


def test_the_report_page_shows_both_tables(page, live_app):
    make_staff()
    _log_in(page)
    page.goto("/admin/posters/report?days=all")
    expect(page.locator("#by-template")).to_be_visible()
    expect(page.locator("#by-agent")).to_be_visible()
    assert page.console_errors == []
