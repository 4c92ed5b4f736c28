"""Merchants read Chinese words and Beijing times on every console page of the demo, never the
codes stored underneath (`reviewing`, `clawback:15:2`, `bind · link`) and never UTC."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import DateTime, select

from app.core.labels import labelled_kinds
from app.extensions import db
from tests.admin_helpers import log_in, make_staff
from tests.console_pages import app_enums, crawl_console, enum_values, visible_text

# Words as a merchant would read them: a URL or path (/wechat/oa) is an address, not a word,
# and a template key such as product-classic is one name.
_PATH = re.compile(r"\S*/\S*")
_WORD = re.compile(r"[A-Za-z][A-Za-z_-]*")
_TIME = re.compile(r"\b\d{4}-\d{2}-\d{2} \d{2}:\d{2}\b")
# Status words a page could print in English without them being a stored code.
_STATUS_WORDS = {"pending", "reviewing", "approved", "rejected", "paid", "unpaid", "shipped", "completed",
                 "cancelled", "canceled", "closed", "refunded", "refunding", "frozen", "available", "active",
                 "disabled", "removed", "failed", "succeeded", "processing", "subscribed", "unsubscribed",
                 "queued", "running", "done", "withdrawn", "settled"}
# Enums that never reach a page: what a function returns to its caller, and error codes
# (an error answer carries its own message).
_INTERNAL = {"CloseOutcome", "Delivery", "PaymentErrorCode", "Taken"}
# Pages whose rows link to the detail pages the test must reach.
_DETAIL_PAGES = {
    "order": r"^/admin/orders/\d+$", "after-sale": r"^/admin/after-sales/\d+$", "member": r"^/admin/members/\d+$",
    "agent": r"^/admin/distribution/agents/\d+$", "product": r"^/admin/products/\d+$",
    "withdrawal": r"^/admin/distribution/withdrawals\?status=all&no=W",
}


@pytest.fixture
def demo_console(app, runner, client):
    assert runner.invoke(args=["seed", "demo"]).exit_code == 0
    make_staff()
    log_in(client)
    return client


def _readable(html: str) -> str:
    return _PATH.sub(" ", visible_text(html))


def test_every_console_page_shows_words_not_codes(demo_console):
    # given the demo shop, and every code any enum of the application stores
    codes = {code.lower() for code in enum_values()} | _STATUS_WORDS
    # when a merchant opens every page of the menu and the pages their rows link to, in Chinese
    pages = crawl_console(demo_console, depth=3)
    # then every kind of detail page was reached
    reached = {kind for kind, pattern in _DETAIL_PAGES.items() if any(re.search(pattern, path) for path in pages)}
    assert reached == set(_DETAIL_PAGES)
    # and no page shows a code or an English status word
    shown = {path: sorted({word for word in _WORD.findall(_readable(html)) if word.lower() in codes})
             for path, html in pages.items() if not html.startswith("HTTP")}
    assert {path: words for path, words in shown.items() if words} == {}


def _stored_times() -> tuple[set[str], set[str]]:
    """Every time stored in the database, as UTC and as Beijing minutes."""
    utc, beijing = set(), set()
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, DateTime):
                for moment in db.session.scalars(select(column).where(column.is_not(None))):
                    utc.add(moment.strftime("%Y-%m-%d %H:%M"))
                    beijing.add((moment + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M"))
    return utc, beijing


def test_every_console_page_shows_times_in_beijing(demo_console):
    # given the demo shop's stored times (naive UTC)
    utc, beijing = _stored_times()
    # when a merchant opens every page
    pages = crawl_console(demo_console, depth=3)
    # then no page shows a stored time as UTC
    as_utc = {path: sorted(set(_TIME.findall(_readable(html))) & (utc - beijing))
              for path, html in pages.items() if not html.startswith("HTTP")}
    assert {path: times for path, times in as_utc.items() if times} == {}


def test_a_withdrawal_shows_the_beijing_time_it_was_made(demo_console):
    from app.distribution.withdrawal_models import Withdrawal

    # given a withdrawal made at a known UTC time
    withdrawal = db.session.scalars(select(Withdrawal).order_by(Withdrawal.id.desc())).first()
    withdrawal.created_at = withdrawal.created_at.replace(hour=20, minute=15)
    db.session.commit()
    # when the merchant lists withdrawals
    text = visible_text(demo_console.get("/admin/distribution/withdrawals?status=all").get_data(as_text=True))
    # then it shows 8 hours later, the next day in Beijing
    local = withdrawal.created_at + timedelta(hours=8)
    assert local.strftime("%Y-%m-%d 04:15") in text
    assert withdrawal.created_at.strftime("%Y-%m-%d 20:15") not in text


def test_every_enum_shown_to_merchants_has_words(app):
    # given every enum of the application
    kinds = {kind.__name__ for kind in app_enums()}
    # then each one merchants may see has its labels registered (one place, next to the enum)
    assert kinds - _INTERNAL - labelled_kinds() == set()


def test_ledger_entries_name_their_kind_and_link_their_order_or_withdrawal(demo_console):
    from app.distribution.commission_models import CommissionEntry
    from app.distribution.withdrawal_models import Withdrawal
    from app.orders.models import Order

    # given the demo's commission ledger
    paid = db.session.scalar(select(CommissionEntry).where(CommissionEntry.kind == "withdraw_paid"))
    withdrawal = db.session.get(Withdrawal, int(paid.ref))
    clawback = db.session.scalar(select(CommissionEntry).where(CommissionEntry.kind == "clawback"))
    from app.distribution.commission_models import CommissionLine

    order = db.session.get(Order, db.session.get(CommissionLine, clawback.line_id).order_id)
    # when the merchant opens it for the agents concerned
    paid_page = demo_console.get(f"/admin/distribution/entries?user_id={paid.agent_user_id}").get_data(as_text=True)
    clawback_page = demo_console.get(
        f"/admin/distribution/entries?user_id={clawback.agent_user_id}").get_data(as_text=True)
    # then each entry reads as what happened, with the number people know, linked
    assert "提现到账" in visible_text(paid_page) and paid.key not in visible_text(paid_page)
    assert f'no={withdrawal.withdrawal_no}">{withdrawal.withdrawal_no}</a>' in paid_page
    assert "退款追回佣金" in visible_text(clawback_page)
    assert f'href="/admin/orders/{order.id}">{order.order_no}</a>' in clawback_page


def test_a_paid_withdrawal_reads_as_withdrawn_not_revoked(demo_console):
    # when the merchant looks at paid withdrawals and the agents' paid-out totals
    withdrawals = visible_text(demo_console.get("/admin/distribution/withdrawals?status=paid").get_data(as_text=True))
    agents = visible_text(demo_console.get("/admin/distribution/agents").get_data(as_text=True))
    # then they read 已提现, never 已撤销
    assert "已提现" in withdrawals and "已撤销" not in withdrawals
    assert "已提现" in agents and "已撤销" not in agents


def test_the_newest_product_sort_reads_newest_on_shelf(demo_console):
    text = visible_text(demo_console.get("/admin/products").get_data(as_text=True))
    assert "最新上架" in text and "最新注册" not in text


def test_the_member_page_shows_the_referrer_while_distribution_is_on(demo_console):
    from app.distribution.agent_models import ReferralBinding

    # given a shopper bound to an agent, distribution on (the demo's)
    bound = db.session.scalars(select(ReferralBinding).order_by(ReferralBinding.user_id)).first()
    # when the merchant opens the shopper's member page
    html = demo_console.get(f"/admin/members/{bound.user_id}").get_data(as_text=True)
    # then it names the referrer, linked to the agent, not "shown once distribution is on"
    assert f'href="/admin/distribution/agents/{bound.referrer_user_id}"' in html
    assert "开启分销后显示" not in visible_text(html)


def test_the_member_page_says_the_referrer_waits_for_distribution_when_it_is_off(demo_console):
    from app.audit.services import SYSTEM
    from app.distribution import settings
    from app.distribution.agent_models import ReferralBinding

    settings.save(SYSTEM, enabled=False)
    db.session.commit()
    bound = db.session.scalars(select(ReferralBinding).order_by(ReferralBinding.user_id)).first()
    html = demo_console.get(f"/admin/members/{bound.user_id}").get_data(as_text=True)
    assert "开启分销后显示" in visible_text(html)
    assert f'href="/admin/distribution/agents/{bound.referrer_user_id}"' not in html


def test_the_simulator_pay_page_does_not_say_orders_are_yet_to_come(demo_console):
    text = visible_text(demo_console.get("/admin/simulator/pay").get_data(as_text=True))
    assert "体验微信支付" in text and "在订单功能上线前" not in text


def test_every_audit_action_the_code_records_has_words():
    from pathlib import Path

    from app.audit.actions import AuditAction

    # given every "area.verb" literal the application writes for the subjects the audit log knows
    subjects = "|".join(sorted({action.split(".")[0] for action in AuditAction}))
    literal = re.compile(rf'"((?:{subjects})\.(?!id")[a-z_]+)"')  # not a foreign key such as "orders.id"
    root = Path(__file__).resolve().parent.parent / "app"
    written = {found for path in root.rglob("*.py") if path.name != "actions.py"
               for found in literal.findall(path.read_text(encoding="utf-8"))}
    # then each is an AuditAction, so the log shows its words
    assert written - set(AuditAction) == set()
