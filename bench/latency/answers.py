"""Every answer the bench times, each with the check that says it is right.

The console's lists with their common filters (order status tabs; keyword search by a common
name, an order number, a phone), the dashboard's three ranges, every report page, the
agent-centre API for the biggest agent (the agent with the most commission lines), the
storefront's product list and the smaller console lists. A list marked with a pager also has
a deep page timed (bench/latency/clients.py finds it by following the list's own pager).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from bench.latency.checks import Check, Reply, api, every, fields, items, page
from bench.latency.facts import LINE_STATUSES, Facts

CONSOLE, AGENT, PUBLIC = "console", "agent", "public"

# What one row of each console list looks like (a deep page must show at least one)
ORDER_ROW = r'data-order-no="[^"]+"'
MEMBER_ROW = r'href="/admin/members/\d+"'
AGENT_ROW = r'href="/admin/distribution/agents/\d+"'
TREE_ROW = r'href="/admin/distribution/tree/\d+"'  # the ledger's, the tree's and the applications' rows
AFTER_SALE_ROW = r'href="/admin/after-sales/\d+"'
PRODUCT_ROW = r'href="/admin/products/\d+"'
FAN_ROW = r'data-fan="'
AUDIT_ROW = r'audit-snapshot'

REPORT_PREFIX = "/admin/reports"  # report pages added under it are found and timed too
POSTER_PERIODS = ("7", "30", "90", "all")
RANKINGS = (("commission", "week"), ("commission", "month"), ("invites", "week"), ("invites", "month"))


@dataclass(frozen=True)
class Answer:
    name: str
    path: str
    who: str  # CONSOLE (a logged-in staff session), AGENT (the biggest agent's bearer token) or PUBLIC
    check: Check
    pager: str | None = None  # "html" or "api": time a deep page of this list too
    rows: str | None = None  # html: the pattern of a row, for the deep page's check

    def deep(self, path: str, number: int) -> Answer:
        """The same list further on: it must still show rows."""
        check = page(rows=self.rows) if self.pager == "html" else api(items(empty=False))
        return replace(self, name=f"{self.name} → page {number}", path=path, check=check, pager=None)


def _query(path: str, **args) -> str:
    return f"{path}?{urlencode(args)}" if args else path


def _dashboard(days: int) -> Check:
    """The dashboard, with its chart's data: one point per day of the trend (a week at least)."""
    base = page(rows=r'id="chart-data"')

    def check(reply: Reply) -> str | None:
        problem = base(reply)
        if problem:
            return problem
        found = re.search(r'<script[^>]*id="chart-data"[^>]*>(.*?)</script>', reply.text(), re.S)
        try:
            chart = json.loads(found.group(1)) if found else None
        except ValueError:
            chart = None
        if not isinstance(chart, dict) or len(chart.get("days") or ()) != max(days, 7):
            return f"the chart does not have {max(days, 7)} days"
        return None

    return check


def console(facts: Facts, report_paths: list[str], today: datetime | None = None) -> list[Answer]:
    today = (today or datetime.now(ZoneInfo("Asia/Shanghai"))).date()
    orders, by_status = "/admin/orders", facts.newest_order_no_by_status
    answers = [Answer(f"console dashboard, {key}", _query("/admin/", range=key), CONSOLE, _dashboard(days))
               for key, days in (("today", 1), ("7d", 7), ("30d", 30))]
    answers += [
        Answer("console orders", orders, CONSOLE, page(facts.newest_order_no, rows=ORDER_ROW), "html", ORDER_ROW),
        *(Answer(f"console orders, tab {status}", _query(orders, status=status), CONSOLE,
                 page(*filter(None, [newest]), rows=ORDER_ROW if newest else None),
                 "html" if status == "completed" else None, ORDER_ROW)
          for status, newest in by_status.items()),
        Answer("console orders, exception orders", _query(orders, exception="any"), CONSOLE, page()),
        Answer("console orders, last 7 days", _query(orders, since=(today - timedelta(days=6)).isoformat(),
                                                     until=today.isoformat()), CONSOLE, page()),
        Answer(f"console orders, keyword {facts.common_name} (name)", _query(orders, keyword=facts.common_name),
               CONSOLE, page(facts.common_name, *filter(None, [facts.newest_named_order_no]), rows=ORDER_ROW)),
        Answer("console orders, keyword order no", _query(orders, keyword=facts.middle_order_no), CONSOLE,
               page(f'data-order-no="{facts.middle_order_no}"')),
        Answer("console orders, keyword phone", _query(orders, keyword=facts.newest_order_phone), CONSOLE,
               page(f'data-order-no="{facts.newest_order_no}"')),
    ]
    after_sale = facts.newest_after_sale
    answers += [
        Answer("console after-sales", "/admin/after-sales", CONSOLE,
               page(*([after_sale[0]] if after_sale else []), rows=AFTER_SALE_ROW if after_sale else None),
               "html", AFTER_SALE_ROW),
        Answer("console after-sales, status requested", _query("/admin/after-sales", status="requested"), CONSOLE,
               page()),
    ]
    if after_sale:
        answers.append(Answer("console after-sales, keyword order no", _query("/admin/after-sales", q=after_sale[1]),
                              CONSOLE, page(after_sale[0])))
    member = 'href="/admin/members/{}"'
    answers += [
        Answer("console members", "/admin/members", CONSOLE, page(member.format(facts.newest_user_id)), "html",
               MEMBER_ROW),
        Answer(f"console members, keyword {facts.common_name}", _query("/admin/members", q=facts.common_name), CONSOLE,
               page(facts.common_name, rows=MEMBER_ROW)),
        Answer("console members, by balance", _query("/admin/members", sort="balance"), CONSOLE, page(rows=MEMBER_ROW)),
        Answer("console members, by points", _query("/admin/members", sort="points"), CONSOLE, page(rows=MEMBER_ROW)),
    ]
    if facts.phone_user:
        answers.append(Answer("console members, keyword phone", _query("/admin/members", q=facts.phone_user[1]),
                              CONSOLE, page(member.format(facts.phone_user[0]))))
    agent_link = 'href="/admin/distribution/agents/{}"'
    agents = "/admin/distribution/agents"
    answers += [
        Answer("console agents", agents, CONSOLE,
               page(*([agent_link.format(facts.newest_agent_user_id)] if facts.newest_agent_user_id else [])),
               "html", AGENT_ROW),
        Answer("console agents, status active", _query(agents, status="active"), CONSOLE,
               page(*([agent_link.format(facts.newest_active_agent_user_id)]
                      if facts.newest_active_agent_user_id else []))),
        Answer(f"console agents, keyword {facts.common_name}", _query(agents, q=facts.common_name), CONSOLE, page()),
        Answer("console agents, keyword invite code", _query(agents, q=facts.invite_code), CONSOLE,
               page(agent_link.format(facts.agent_user_id))),
        Answer("console agent detail (biggest agent)", f"{agents}/{facts.agent_user_id}", CONSOLE,
               page(facts.invite_code)),
        Answer("console referral tree (biggest agent)", f"/admin/distribution/tree/{facts.agent_user_id}", CONSOLE,
               page(facts.invite_code), "html", TREE_ROW),
        Answer("console member detail (biggest agent)", f"/admin/members/{facts.agent_user_id}", CONSOLE, page()),
        Answer("console agent applications", "/admin/distribution/applications", CONSOLE,
               page(rows=TREE_ROW if facts.has_pending_applications else None), "html", TREE_ROW),
        Answer("console agent levels", "/admin/distribution/levels", CONSOLE, page()),
        Answer("console commission ledger", "/admin/distribution/entries", CONSOLE,
               page(*([f"<td>{facts.newest_entry_id}</td>"] if facts.newest_entry_id else [])), "html", TREE_ROW),
        Answer("console commission ledger, biggest agent",
               _query("/admin/distribution/entries", user_id=facts.agent_user_id), CONSOLE,
               page(*([f"<td>{facts.newest_agent_entry_id}</td>"] if facts.newest_agent_entry_id else [])),
               "html", TREE_ROW),
    ]
    withdrawals = "/admin/distribution/withdrawals"
    answers += [Answer(f"console withdrawals, {status}", _query(withdrawals, status=status), CONSOLE,
                       page(*filter(None, [facts.newest_withdrawal_no[status]])))
                for status in ("reviewing", "paid", "all")]
    if facts.newest_product:
        product_id, title, _category_id = facts.newest_product
        product_link = f'href="/admin/products/{product_id}"'
        answers += [
            Answer("console products", "/admin/products", CONSOLE, page(product_link), "html", PRODUCT_ROW),
            Answer("console products, keyword", _query("/admin/products", q=title.split(" ")[0]), CONSOLE,
                   page(product_link)),
        ]
    answers += [
        Answer("console products, on shelf", _query("/admin/products", shelf="on"), CONSOLE, page()),
        Answer("console products, low stock", _query("/admin/products", low_stock="1"), CONSOLE, page()),
        Answer("console products, by sales", _query("/admin/products", sort="sales"), CONSOLE, page()),
        Answer("console categories", "/admin/categories", CONSOLE, page()),
        Answer("console shipping templates", "/admin/products/shipping", CONSOLE, page()),
        Answer("console exports", "/admin/exports", CONSOLE, page()),
        Answer("console member levels", "/admin/members/levels", CONSOLE, page()),
        Answer("console member growth (biggest agent)", f"/admin/members/{facts.agent_user_id}/growth", CONSOLE,
               page()),
        Answer("console media library", "/admin/media", CONSOLE, page()),
        Answer("console coupons", "/admin/marketing/coupons", CONSOLE, page()),
        Answer("console coupon centre order", "/admin/marketing/coupon-centre", CONSOLE, page()),
        Answer("console new-user gift pack", "/admin/marketing/new-user-pack", CONSOLE, page()),
        Answer("console full-reduction", "/admin/marketing/full-reductions", CONSOLE, page()),
        Answer("console points rules", "/admin/marketing/points", CONSOLE, page()),
        Answer("console sign-ins", "/admin/marketing/sign-in", CONSOLE, page()),
        Answer("console poster templates", "/admin/posters", CONSOLE, page()),
        Answer("console wechat fans", "/admin/wechat/fans", CONSOLE, page(rows=FAN_ROW if facts.has_fans else None),
               "html", FAN_ROW),
        Answer("console wechat keyword replies", "/admin/wechat/replies/keywords", CONSOLE, page()),
        Answer("console staff", "/admin/settings/staff", CONSOLE, page()),
        Answer("console audit log", "/admin/settings/audit", CONSOLE,
               page(rows=AUDIT_ROW if facts.has_audit else None), "html", AUDIT_ROW),
        Answer("console audit log, area settings", _query("/admin/settings/audit", area="settings"), CONSOLE, page()),
    ]
    answers += [Answer(f"report poster performance, {days} days" if days != "all" else
                       "report poster performance, all time", _query("/admin/posters/report", days=days), CONSOLE,
                       page()) for days in POSTER_PERIODS]
    answers += [Answer(f"report {path.removeprefix(REPORT_PREFIX).strip('/') or 'index'}", path, CONSOLE, page())
                for path in report_paths]
    return answers


def agent_centre(facts: Facts) -> list[Answer]:
    """The mini-program's distribution centre, as the biggest agent sees it."""
    base, agent = "/api/v1/distribution", facts.agent_user_id
    newest_line = facts.newest_line_id

    def is_line(line_id):
        return lambda row: row.get("id") == line_id

    answers = [
        Answer("API distribution summary", f"{base}/me", AGENT, api(every(
            fields({"is_agent": facts.agent_active, "invite_code": facts.invite_code or None}),
            fields(facts.account, ("account",))))),
        Answer("API commissions", f"{base}/commissions", AGENT,
               api(items(first=is_line(newest_line), empty=newest_line is None)), "api"),
        *(Answer(f"API commissions, {status}", _query(f"{base}/commissions", status=status), AGENT,
                 api(items(first=is_line(newest), empty=newest is None, each=lambda row, s=status: row["status"] == s)))
          for status, newest in facts.newest_line_by_status.items() if status in LINE_STATUSES),
        Answer("API team, level 1", _query(f"{base}/team", level=1), AGENT,
               api(items(first=lambda row: row.get("user_id") == facts.newest_team1_user_id,
                         empty=facts.newest_team1_user_id is None)), "api"),
        Answer("API team, level 2", _query(f"{base}/team", level=2), AGENT, api(items(empty=not facts.has_team2))),
        Answer("API promotion orders", f"{base}/promotion-orders", AGENT,
               api(items(first=lambda row: row.get("order_id") == facts.newest_promotion_order_id,
                         empty=facts.newest_promotion_order_id is None)), "api"),
        Answer("API withdrawals", f"{base}/withdrawals", AGENT,
               api(items(first=lambda row: row.get("id") == facts.newest_agent_withdrawal_id,
                         empty=facts.newest_agent_withdrawal_id is None))),
        Answer("API withdrawal config", f"{base}/withdrawal-config", AGENT,
               api(fields({"available_fen": facts.account["available_fen"]}))),
        *(Answer(f"API ranking, {by} this {period}", _query(f"{base}/rankings", by=by, period=period), AGENT,
                 api(items(each=lambda row: isinstance(row.get("rank"), int)))) for by, period in RANKINGS),
        Answer("API application", f"{base}/application", AGENT,
               api(fields({"status": "agent"}) if facts.agent_active else None)),
    ]
    if facts.shelf_product_ids:
        ids = facts.shelf_product_ids
        answers.append(Answer("API estimates", _query(f"{base}/estimates", product_ids=",".join(map(str, ids))), AGENT,
                              api(_estimates(ids, facts.agent_active))))
    if facts.newest_promotion_order_id:
        answers.append(Answer("API order commission (explain)",
                              f"{base}/orders/{facts.newest_promotion_order_id}/commission", AGENT,
                              api(items(empty=False, each=lambda item: all(
                                  line.get("beneficiary_user_id") == agent for line in item.get("lines", [])),
                                  describe="the agent's"))))
    return answers


def _estimates(product_ids: list[int], active: bool):
    def verify(data) -> str | None:
        found = data.get("items") if isinstance(data, dict) else None
        if not isinstance(found, dict):
            return "no items"
        if not set(found) <= {str(product_id) for product_id in product_ids}:
            return "estimates for products not asked about"
        if active and not found:
            return "no estimates for an active agent"
        return None

    return verify


def storefront(facts: Facts) -> list[Answer]:
    answers = [
        Answer("API storefront products", "/api/v1/products", PUBLIC, api(items(empty=False)), "api"),
        Answer("API storefront products, by sales", _query("/api/v1/products", sort="sales"), PUBLIC,
               api(items(empty=False))),
    ]
    if facts.newest_product:
        answers.append(Answer("API storefront products, category",
                              _query("/api/v1/products", category_id=facts.newest_product[2]), PUBLIC,
                              api(items(empty=False))))
    return answers


def report_paths(app) -> list[str]:
    """The console's report pages beyond the dashboard: every GET page under /admin/reports
    that takes no argument (the poster report is listed by name)."""
    return sorted(rule.rule for rule in app.url_map.iter_rules()
                  if rule.rule.startswith(REPORT_PREFIX) and "GET" in (rule.methods or ()) and not rule.arguments)


def every_answer(facts: Facts, reports: list[str]) -> list[Answer]:
    return [*console(facts, reports), *agent_centre(facts), *storefront(facts)]

