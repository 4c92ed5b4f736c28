"""The scale latency bench (bench/scale.py) as CI's smoke test: a tiny generated shop in a
throwaway database, the bench's own server (gunicorn in production mode, 2 workers), every
answer asked once and checked. No timing is asserted: the bench exits non-zero when any
answer is not 200 or does not show what the shop holds. Plus the bench's checks and its
pager following, on made-up replies."""

from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis
from sqlalchemy.engine import make_url

from bench.latency import answers, checks
from bench.latency.answers import CONSOLE, PUBLIC, Answer
from bench.latency.checks import Reply
from bench.latency.clients import deep_page
from tests import backends

ROOT = Path(__file__).resolve().parent.parent
# tiny (400 shoppers / 1k orders, ~10 s to build with its migrations): small (50k orders) took
# 27 s to build alone and 64 s inside this test on a loaded 2-core machine, 2.4 min with the bench
SIZE = "tiny"


@pytest.fixture
def tiny_shop(backend):
    """A database URL holding a generated shop, dropped afterwards."""
    if backend.name != "mariadb":
        pytest.skip("the scale bench measures production mode: MariaDB and a Redis shared by several gunicorn "
                    "workers (FENXIAO_TEST_BACKEND=mariadb)")
    name = f"fenxiao_scale_{uuid.uuid4().hex[:8]}"
    url = make_url(backend.database_url).set(database=name).render_as_string(hide_password=False)
    try:
        subprocess.run([sys.executable, "-m", "bench.scale", "--database-url", url, "--size", SIZE], cwd=ROOT,
                       check=True, capture_output=True, timeout=240)
        yield url
    finally:
        backends._mysql_admin(f"DROP DATABASE IF EXISTS `{name}`")
        redis.Redis.from_url(backend.redis_url).flushdb()  # the bench's server's sessions and caches


def _rows(output: str) -> dict[str, list[str]]:
    """The bench's table: answer name → its cells."""
    table = {}
    for line in output.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("| ") and len(cells) == 4 and cells[0] != "answer":
            table[cells[0]] = cells[1:]
    return table


def test_every_answer_of_the_scale_bench_is_right_on_a_tiny_shop(tiny_shop, backend):
    completed = subprocess.run(
        [sys.executable, "bench/scale.py", "--database-url", tiny_shop, "--redis-url", backend.redis_url,
         "--workers", "2", "--clients", "2", "--requests", "1", "--warmup", "0", "--deep-page", "3"],
        cwd=ROOT, capture_output=True, text=True, timeout=300)

    assert completed.returncode == 0, completed.stdout + completed.stderr
    table = _rows(completed.stdout)
    for name in ("console dashboard, today", "console dashboard, 30d", "console orders", "console orders → page 3",
                 "console orders, tab shipped", "console orders, keyword order no", "console orders, keyword phone",
                 "console members → page 3", "console agents, keyword invite code", "console commission ledger",
                 "console withdrawals, reviewing", "console after-sales, keyword order no", "console audit log",
                 "console wechat fans", "console products, keyword", "report poster performance, 30 days",
                 "API distribution summary", "API commissions → page 3", "API commissions, frozen",
                 "API team, level 2", "API promotion orders", "API withdrawal config", "API ranking, invites this week",
                 "API application", "API estimates", "API order commission (explain)", "API storefront products"):
        assert name in table, f"{name} was not asked:\n{completed.stdout}"
    assert all(cells[2] == "1" for cells in table.values())
    assert completed.stdout.splitlines()[-1].startswith("ratio=")


def _reply(text: str, status: int = 200, url: str = "/admin/orders") -> Reply:
    return Reply(status, text.encode(), url)


def test_a_console_page_is_wrong_without_the_shops_rows_or_when_it_is_the_login_form():
    check = checks.page("D20261201", rows=answers.ORDER_ROW)

    assert check(_reply('<html><tr data-order-no="D20261201"></tr></html>')) is None
    assert "D20261201" in check(_reply('<html><tr data-order-no="D20261202"></tr></html>'))
    assert check(_reply("<html>D20261201</html>")).startswith("no row")
    assert check(_reply('<html data-order-no="D20261201"></html>', url="/admin/login")) == \
        "answered with the login page"
    assert check(_reply("<html></html>", status=504)) == "HTTP 504"


def test_an_api_answer_is_wrong_when_its_figures_are_not_the_shops():
    summary = checks.api(checks.fields({"available_fen": 500, "frozen_fen": 0}, ("account",)))
    newest = checks.api(checks.items(first=lambda row: row["id"] == 9, empty=False))

    assert summary(_reply(json.dumps({"account": {"available_fen": 500, "frozen_fen": 0}}))) is None
    assert "available_fen" in summary(_reply(json.dumps({"account": {"available_fen": 499, "frozen_fen": 0}})))
    assert newest(_reply(json.dumps({"items": [{"id": 9}, {"id": 8}]}))) is None
    assert newest(_reply(json.dumps({"items": [{"id": 8}]}))).startswith("first item")
    assert newest(_reply(json.dumps({"items": []}))) == "no items where the shop has some"
    assert newest(_reply("oops")) == "not JSON"


class _Pages:
    """A client answering from a dict of path → reply body, remembering what it was asked."""

    def __init__(self, pages: dict[str, str]) -> None:
        self.pages, self.asked = pages, []

    def get(self, answer, path=None):
        path = path or answer.path
        self.asked.append(path)
        return 0.01, _reply(self.pages[path], url=path.split("?")[0])


def test_a_deep_page_is_found_by_following_the_keyset_pagers_next_links():
    rows = '<tr data-order-no="D1"></tr>'
    client = _Pages({
        "/admin/orders": f'<html>{rows}<a class="page-link" rel="next" href="/admin/orders?cursor=a&amp;x=1"></html>',
        "/admin/orders?cursor=a&x=1": f'<html>{rows}<a rel="prev" href="/admin/orders">'
                                      '<a href="/admin/orders?cursor=b" rel="next"></html>',
        "/admin/orders?cursor=b": f'<html>{rows}<a rel="prev" href="/admin/orders?cursor=a&amp;x=1"></html>'})
    answer = Answer("orders", "/admin/orders", CONSOLE, checks.page(rows=answers.ORDER_ROW), "html",
                    answers.ORDER_ROW)

    assert deep_page(client, answer, 2) == ("/admin/orders?cursor=a&x=1", 2)
    assert deep_page(client, answer, 31) == ("/admin/orders?cursor=b", 3)


def test_an_api_deep_page_follows_next_cursor_or_jumps_to_the_page_without_one():
    keyset = _Pages({"/api/v1/products?sort=sales": json.dumps({"items": [{}], "next_cursor": "c1"}),
                     "/api/v1/products?sort=sales&cursor=c1": json.dumps({"items": [{}], "next_cursor": None})})
    offset = _Pages({"/api/v1/products": json.dumps({"items": [{}], "page": 1, "size": 20, "total": 45})})
    one_page = _Pages({"/api/v1/products": json.dumps({"items": [{}], "page": 1, "size": 20, "total": 20})})

    def answer(path):
        return Answer("products", path, PUBLIC, checks.api(checks.items(empty=False)), "api")

    assert deep_page(keyset, answer("/api/v1/products?sort=sales"), 31) == ("/api/v1/products?sort=sales&cursor=c1", 2)
    assert deep_page(offset, answer("/api/v1/products"), 31) == ("/api/v1/products?page=3", 3)
    assert deep_page(one_page, answer("/api/v1/products"), 31) is None


def test_an_offset_pager_is_jumped_when_it_shows_its_page_count_and_walked_when_it_does_not():
    row = '<tr><a href="/admin/distribution/tree/7"></a></tr>'
    counted = _Pages({"/admin/orders?status=paid": '<html><tr data-order-no="D1"></tr><span class="page-link">1 / 250'
                                                   '</span><a href="/admin/orders?status=paid&amp;page=2"></html>'})
    walked = _Pages({
        "/admin/distribution/tree/1": f'<html>{row}<a href="/admin/distribution/tree/1?page=2">下一页</a></html>',
        "/admin/distribution/tree/1?page=2": f'<html>{row}<a href="/admin/distribution/tree/1?page=1"></a>'
                                             '<a href="/admin/distribution/tree/1?page=3"></a></html>',
        "/admin/distribution/tree/1?page=3": f'<html>{row}<a href="/admin/distribution/tree/1?page=2"></a></html>'})

    orders = Answer("paid", "/admin/orders?status=paid", CONSOLE, checks.page(rows=answers.ORDER_ROW), "html",
                    answers.ORDER_ROW)
    tree = Answer("tree", "/admin/distribution/tree/1", CONSOLE, checks.page(), "html", answers.TREE_ROW)

    assert deep_page(counted, orders, 31) == ("/admin/orders?status=paid&page=31", 31)
    assert counted.asked == ["/admin/orders?status=paid"]
    assert deep_page(walked, tree, 31) == ("/admin/distribution/tree/1?page=3", 3)
