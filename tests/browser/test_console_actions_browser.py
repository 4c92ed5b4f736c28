"""Every primary action on every page of the console's sidebar works on the demo shop.

The menu and the actions are read from the DOM, so a new page or button is covered without
editing this test. The rule: the sidebar's links are the pages; on each page the actions are
the visible, enabled links and buttons in `<main>` that are outside tables or in a table's
first row (toolbar buttons such as 新建 / 导出 / 搜索 / 筛选 / 保存, tabs, the next page, the
first row's 查看 / 编辑 links), each label clicked once per page and each link target once.
Each is clicked on a freshly loaded page and followed to wherever it leads; the walk fails on
any answer of 400 or more from our server (the page or any XHR, fetch, script, style or image
it loads) and on any JavaScript console error or uncaught exception, and reports them all.
A link to a file (an image, a download) is fetched rather than opened: it must answer, but
the browser's own viewer is not our page.

Destructive actions (DESTRUCTIVE, by label) are clicked too, with their confirmation declined:
they must then send nothing to the server, so none acts without the merchant saying yes.
Other confirmations are accepted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest

from tests.admin_helpers import PASSWORD, make_staff

# Actions that lose something for good (从微信加载 replaces the stored menu with WeChat's).
DESTRUCTIVE = re.compile(r"删除|移除|驳回|拒绝|清空|从微信加载")

# Marks the page's actions (data-probe="<n>") and describes them, by the rule above.
_DISCOVER = """() => {
  const main = document.querySelector("main");
  document.querySelectorAll("[data-probe]").forEach((el) => el.removeAttribute("data-probe"));
  const firstRows = new Set([...main.querySelectorAll("table")].map((t) => t.tBodies[0] && t.tBodies[0].rows[0]));
  const seen = new Set();
  const found = [];
  for (const el of main.querySelectorAll("a[href], button, input[type=submit]")) {
    const row = el.closest("tbody tr");
    if (row && !firstRows.has(row)) continue;
    if (!el.getClientRects().length || el.disabled || el.closest(".disabled, [aria-disabled=true]")) continue;
    const href = el.tagName === "A" ? el.getAttribute("href") : null;
    if (href !== null && (href === "" || href.startsWith("#") || href.startsWith("javascript:"))) continue;
    const label = el.innerText || el.value || el.getAttribute("aria-label") || el.title || "";
    const name = label.replace(/\\s+/g, " ").trim();
    const key = href !== null ? "link " + el.href : "button " + name;
    if (seen.has(key)) continue;
    seen.add(key);
    el.setAttribute("data-probe", String(found.length));
    found.push({name: name || key, key: key, href: href !== null ? el.href : null});
  }
  return found;
}"""


@dataclass
class Watch:
    """What the browser saw go wrong, and what was sent, since the last reset."""

    origin: str
    problems: list[str] = field(default_factory=list)
    sent: list[str] = field(default_factory=list)
    declining: bool = False
    in_flight: set = field(default_factory=set)

    def attach(self, page) -> None:
        page.on("response", self._response)
        page.on("request", self._request)
        page.on("requestfinished", lambda request: self.in_flight.discard(request))
        page.on("requestfailed", lambda request: self.in_flight.discard(request))
        page.on("console", lambda message: self.problems.append(f"console error: {message.text}")
                if message.type == "error" else None)
        page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        page.on("dialog", self._dialog)
        page.on("popup", lambda popup: popup.close())

    def _response(self, response) -> None:
        if response.status >= 400 and response.url.startswith(self.origin):
            self.problems.append(f"{response.status} {response.request.method} {response.url[len(self.origin):]}")

    def _request(self, request) -> None:
        self.in_flight.add(request)
        if request.method != "GET" and request.url.startswith(self.origin):
            self.sent.append(f"{request.method} {request.url[len(self.origin):]}")

    def _dialog(self, dialog) -> None:
        if self.declining:
            dialog.dismiss()
        else:
            dialog.accept("测试" if dialog.type == "prompt" else None)

    def reset(self, declining: bool = False) -> None:
        self.problems.clear()
        self.sent.clear()
        self.declining = declining


@pytest.fixture
def demo_console(page, live_app):
    """The demo shop (`flask seed demo`, with the server up, as `make run` has it) and its owner
    logged in."""
    result = live_app.test_cli_runner().invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output
    make_staff()
    page.goto("/admin/login")
    page.get_by_label("用户名").fill("boss")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/admin/$"))
    return page


def _settle(page, watch: Watch) -> None:
    """Wait for whatever the click started (a navigation, a form post, a fetch) to finish: the
    page loaded, then nothing in flight for a moment (quicker than Playwright's networkidle,
    which waits half a second each time)."""
    page.wait_for_load_state("load")
    quiet = 0
    for _ in range(100):
        quiet = quiet + 1 if not watch.in_flight else 0
        if quiet == 3:
            return
        page.wait_for_timeout(50)


def _visit(page, watch: Watch, path: str, failures: list[str], label: str) -> list[dict]:
    watch.reset()
    page.goto(path)
    _settle(page, watch)
    failures += [f"{label} ({path}): {problem}" for problem in watch.problems]
    return page.evaluate(_DISCOVER)


def _click(page, watch: Watch, path: str, action: dict, failures: list[str], label: str) -> None:
    where = f"{label} ({path}) → {action['name']}"
    if action["href"] is not None and not _opens_a_page(page, watch.origin, action["href"], where, failures):
        return
    destructive = bool(DESTRUCTIVE.search(action["name"]))
    page.goto(path, wait_until="domcontentloaded")  # its scripts have run: enough to click
    current = _actions_by_key(page)
    if action["key"] not in current:  # drawn by the page's script once its fetches are done
        _settle(page, watch)
        current = _actions_by_key(page)
    if action["key"] not in current:  # an earlier action changed the page (a row moved on)
        return
    watch.reset(declining=destructive)
    target = page.locator(f'[data-probe="{current[action["key"]]}"]')
    target.evaluate("el => el.removeAttribute('target')")  # follow it here, not in a new tab
    try:
        target.click()
        _settle(page, watch)
    except Exception as error:  # reported with the others; the walk goes on
        failures.append(f"{where}: {type(error).__name__}: {str(error).splitlines()[0]}")
    failures += [f"{where} [{page.url[len(watch.origin):]}]: {problem}" for problem in watch.problems]
    if destructive and watch.sent:
        failures.append(f"{where}: sent {watch.sent} although its confirmation was declined")


def _actions_by_key(page) -> dict[str, int]:
    return {found["key"]: index for index, found in enumerate(page.evaluate(_DISCOVER))}


def _opens_a_page(page, origin: str, url: str, where: str, failures: list[str]) -> bool:
    """Whether the link leads to a page (else it was fetched, and any error noted)."""
    if not url.startswith(origin):
        return True  # another site: the click shows where it goes, nothing of ours to check
    answer = page.request.get(url, max_redirects=0)
    if answer.status >= 400:
        failures.append(f"{where}: {answer.status} GET {url}")
        return False
    return answer.status in (301, 302, 303, 307, 308) or "text/html" in answer.headers.get("content-type", "")


def test_every_primary_action_on_every_console_page_answers_without_errors(demo_console, live_server):
    page = demo_console
    watch = Watch(live_server.url)
    watch.attach(page)
    menu = page.eval_on_selector_all("nav.sidebar a.nav-link",
                                     "links => links.map(a => [a.innerText.trim(), a.getAttribute('href')])")
    assert len(menu) >= 15, menu  # the owner sees every area
    failures: list[str] = []
    clicked = 0
    for label, path in menu:
        for action in _visit(page, watch, path, failures, label):
            _click(page, watch, path, action, failures, label)
            clicked += 1
    assert clicked > 2 * len(menu), clicked  # the discovery found the pages' actions
    assert not failures, "\n".join(failures)
