"""Headless Chromium (Debian's package) driven by Playwright against the live server.

Outside CI, these tests are skipped when no Chromium is installed; in CI they must run.
A failing test leaves a screenshot in tests/browser/screenshots/.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
SCREENSHOTS = Path(__file__).parent / "screenshots"
ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    if CHROMIUM is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI must run the browser tests: install Debian's chromium")
        pytest.skip("no Chromium installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed and "page" in item.funcargs:
        SCREENSHOTS.mkdir(exist_ok=True)
        item.funcargs["page"].screenshot(path=str(SCREENSHOTS / f"{item.name}.png"), full_page=True)
    return report


@pytest.fixture
def page(browser, live_server, request):
    context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 860})
    page = context.new_page()
    page.set_default_timeout(10_000)
    errors: list[str] = []

    def heard(message) -> None:
        # Alpine reports an expression it cannot run (a CSP refusal, a missing property) as a
        # warning and carries on with a dead widget: as much an error as an uncaught one
        if message.type == "error" or (message.type == "warning" and message.text.startswith("Alpine")):
            errors.append(message.text)

    page.on("console", heard)
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    page.console_errors = errors
    yield page
    context.close()
    expected = request.node.get_closest_marker("console_errors_expected")
    allowed = expected.args if expected else ()
    unexpected = [error for error in errors if not any(part in error for part in allowed)]
    assert unexpected == [], f"the page logged errors: {unexpected}"
