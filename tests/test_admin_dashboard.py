"""The dashboard: every card and trend point from the real rows, by Beijing calendar day.

These tests set rows on chosen past days by hand (which leaves no dirty-day mark), then
rebuild the daily rollups over those days, as `flask reports rebuild` does; each board read
is also checked against the figures computed from the source rows over the whole range (what
the dashboard computed on every request before the rollups). The job that keeps the rollups
after real flows: tests/test_reports_rollups.py."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import select, update

from app.accounts.models import User
from app.audit.services import Actor
from app.core.china_time import to_beijing
from app.core.models import utcnow
from app.distribution import agents, ledger, withdrawals
from app.distribution.agent_models import Agent
from app.distribution.commission_models import CommissionEntry
from app.extensions import db
from app.reports import rollups
from app.reports.dashboard import RANGES, build_dashboard
from app.reports.jobs import refresh_rollups
from app.reports.sources import Window, figures
from tests import factories
from tests.admin_helpers import log_in, make_staff
from tests.distribution_helpers import agent, bind, complete, configure, lines_of, paid_order, refund, release, sku
from tests.pay_helpers import shopper

NOW = datetime(2026, 11, 27, 2, 0)  # 10:00 on 27 November in Beijing
STAFF = Actor(None, "127.0.0.1")


def beijing(day: int, hour: int, minute: int = 0, month: int = 11) -> datetime:
    """A moment written in Beijing time, as it is stored (naive UTC)."""
    return datetime(2026, month, day, hour, minute) - timedelta(hours=8)


def read_board(range_key: str = "today", now: datetime = NOW):
    """The dashboard read at `now` after the rollups were rebuilt over the tests' days, its
    figures checked against the source rows over the whole range."""
    today = to_beijing(now).date()
    rollups.rebuild(today - timedelta(days=max(RANGES[range_key], 7) - 1), today)  # the days the board reads
    read = build_dashboard(range_key, now)
    assert read.figures == figures(Window(today - timedelta(days=RANGES[range_key] - 1), today))
    return read


def _released_at(order, moment: datetime) -> None:
    """The order's commission became withdrawable at `moment` (its release entries say when)."""
    db.session.execute(update(CommissionEntry).where(
        CommissionEntry.kind == "release", CommissionEntry.line_id.in_([line.id for line in lines_of(order)]))
        .values(created_at=moment))
    db.session.commit()


def _arrived(user, moment: datetime) -> None:
    db.session.execute(update(User).where(User.id == user.id).values(created_at=moment))
    db.session.commit()


def _became_agent(user, moment: datetime) -> None:
    db.session.execute(update(Agent).where(Agent.user_id == user.id).values(became_at=moment))
    db.session.commit()


def test_new_shoppers_count_by_china_day(app):
    now = datetime(2026, 11, 27, 2, 0)  # 10:00 in Beijing
    db.session.add_all([
        User(nickname="today", created_at=now - timedelta(hours=1)),
        User(nickname="late yesterday utc, today in beijing", created_at=datetime(2026, 11, 26, 17, 0)),
        User(nickname="yesterday", created_at=datetime(2026, 11, 26, 15, 0)),
        User(nickname="last month", created_at=now - timedelta(days=40)),
    ])
    db.session.commit()
    assert read_board("today", now).figures.new_shoppers == 2
    assert read_board("7d", now).figures.new_shoppers == 3
    assert read_board("30d", now).figures.new_shoppers == 3
    assert read_board("7d", now).shopper_trend[-2:] == [1, 2]


def test_low_stock_counts_skus_at_or_under_the_threshold(app):
    shelf = factories.category()
    factories.product(shelf, stock=3, skus=2)
    factories.product(shelf, stock=50)
    assert read_board().low_stock_skus == 2


def test_dashboard_page_shows_figures_and_local_chart_assets(app):
    make_staff()
    client = app.test_client()
    log_in(client)
    html = client.get("/admin/?range=7d").get_data(as_text=True)
    assert "新增顾客" in html and "¥0.00" in html
    assert "/admin/vendor/echarts/echarts.min.js" in html
    # nothing from another host: no script, stylesheet, picture or font comes from an address
    assert not re.search(r'(?:src|href)\s*=\s*"(?:https?:)?//', html), "an asset from another host"
    assert client.get("/admin/vendor/echarts/echarts.min.js").status_code == 200
    assert client.get("/admin/vendor/bootstrap/css/bootstrap.min.css").status_code == 200
    assert client.get("/admin/vendor/tslib/tslib.js").status_code == 404  # only the packages we serve


def test_english_is_a_click_away(app):
    make_staff()
    client = app.test_client()
    log_in(client)
    client.get("/admin/lang/en?next=/admin/")
    assert "Dashboard" in client.get("/admin/").get_data(as_text=True)


def test_sales_orders_and_awaiting_shipment_come_from_paid_orders_by_china_day(app):
    # given orders paid today and yesterday (Beijing time), one partly refunded, one unpaid
    now = datetime(2026, 11, 27, 2, 0)  # 10:00 in Beijing
    sku = factories.product(factories.category(), price_fen=1000, stock=50).skus[0]
    buyer = factories.shopper()
    today = factories.order(buyer, [(sku, 2)], status="paid", paid_at=datetime(2026, 11, 26, 17, 0))
    today.refunded_fen = 500
    factories.order(buyer, [(sku, 1)], status="shipped", paid_at=datetime(2026, 11, 26, 15, 0))
    factories.order(buyer, [(sku, 3)])  # never paid
    db.session.commit()
    # then today counts the order paid after Beijing midnight, net of its refund
    board = read_board("today", now)
    assert (board.figures.sales_fen, board.figures.orders, board.awaiting_shipment) == (1500, 1, 1)
    # and the week's trend puts yesterday's and today's sales on their own days
    week = read_board("7d", now)
    assert (week.figures.sales_fen, week.figures.orders) == (2500, 2)
    assert week.sales_trend_fen[-2:] == [1000, 1500]


def _shop_with_commission():
    """One agent paid 10% at level 1 on five orders of their referral, paid on chosen Beijing
    days: today just after midnight, yesterday just before it (then a quarter refunded while
    pending), 6 days ago (released today just after midnight, then a third clawed back), 7 days
    ago (released yesterday just before midnight) and 40 days ago (released 35 days ago)."""
    configure(levels=1, rate1_bp=1000, freeze_days=0)
    earner, buyer = agent("earner"), factories.shopper("buyer")
    bind(buyer, earner)

    def order(price_fen: int, paid_at: datetime):
        return paid_order(buyer, [(sku(price_fen), 1)], paid_at=paid_at)

    order(10_000, beijing(27, 0, 30))
    yesterday = order(20_000, beijing(26, 23, 59))
    refund(yesterday.items[0], 5_000, 0, after_sale_id=1)
    yesterday.refunded_fen = 5_000
    six_days_ago, seven_days_ago, long_ago = (order(30_000, beijing(21, 12)), order(40_000, beijing(20, 12)),
                                              order(50_000, beijing(18, 12, month=10)))
    for completed in (six_days_ago, seven_days_ago, long_ago):
        complete(completed)
    release(utcnow())
    _released_at(six_days_ago, beijing(27, 0, 10))
    _released_at(seven_days_ago, beijing(26, 23, 50))
    _released_at(long_ago, beijing(23, 12, month=10))
    refund(six_days_ago.items[0], 10_000, 0, after_sale_id=2)
    six_days_ago.refunded_fen = 10_000
    db.session.commit()


def test_sales_and_commission_accrued_count_orders_by_the_beijing_day_they_were_paid_net_of_refunds(app):
    # given the shop above
    _shop_with_commission()
    # when the dashboard is read at 10:00 Beijing time, then each range counts the orders paid
    # on its Beijing days, less what was refunded on them and the commission that refunds took back
    figures = {key: read_board(key, NOW).figures for key in ("today", "7d", "30d")}
    assert {key: (f.sales_fen, f.orders, f.commission_accrued_fen) for key, f in figures.items()} == {
        "today": (10_000, 1, 1_000),
        "7d": (10_000 + 15_000 + 20_000, 3, 1_000 + 1_500 + 2_000),
        "30d": (10_000 + 15_000 + 20_000 + 40_000, 4, 1_000 + 1_500 + 2_000 + 4_000)}


def test_commission_settled_counts_what_was_released_to_agents_by_beijing_day_net_of_clawbacks(app):
    _shop_with_commission()
    settled = {key: read_board(key, NOW).figures.commission_settled_fen for key in ("today", "7d", "30d")}
    # today: the 6-days-ago order's 3,000 less the 1,000 clawed back; the week adds yesterday's 4,000
    assert settled == {"today": 2_000, "7d": 6_000, "30d": 6_000}


def test_the_commission_trend_has_one_point_per_beijing_day_of_payment(app):
    _shop_with_commission()
    week = read_board("7d", NOW)
    assert week.days == ["11-21", "11-22", "11-23", "11-24", "11-25", "11-26", "11-27"]
    assert week.commission_trend_fen == [2_000, 0, 0, 0, 0, 1_500, 1_000]
    assert week.sales_trend_fen == [20_000, 0, 0, 0, 0, 15_000, 10_000]
    assert read_board("today", NOW).commission_trend_fen == week.commission_trend_fen  # the last 7 days
    month = read_board("30d", NOW)
    assert (month.days[0], month.days[-1], len(month.days)) == ("10-29", "11-27", 30)
    assert dict(zip(month.days, month.commission_trend_fen, strict=True)) == {
        **dict.fromkeys(month.days, 0), "11-20": 4_000, "11-21": 2_000, "11-26": 1_500, "11-27": 1_000}


def test_new_agents_are_those_who_became_agents_on_the_beijing_days_and_still_are(app):
    # given agents who became agents just after midnight today, just before it yesterday (then
    # removed), 6 and 25 days ago and 40 days ago; one of today's disabled since
    for name, moment in (("today", beijing(27, 0, 5)), ("disabled today", beijing(27, 9)),
                         ("removed", beijing(26, 23, 55)), ("six days", beijing(21, 8)),
                         ("25 days", beijing(2, 8)), ("40 days", beijing(18, 8, month=10))):
        _became_agent(agent(name), moment)
    agents.disable(STAFF, db.session.scalar(select(User.id).where(User.nickname == "disabled today")))
    agents.remove(STAFF, db.session.scalar(select(User.id).where(User.nickname == "removed")))
    db.session.commit()
    # then
    assert [read_board(key, NOW).figures.new_agents for key in ("today", "7d", "30d")] == [2, 3, 4]


def test_pending_withdrawals_count_and_sum_those_awaiting_review_or_payment(live_app):
    # given an agent's withdrawals under review, approved (bank, to pay by hand), paying through
    # WeChat, paid and rejected
    configure(withdraw_methods=["wechat", "balance", "bank"], withdraw_daily_limit=10)
    earner = shopper("earner")
    agents.appoint(STAFF, earner.id)
    ledger.post(earner.id, "test_credit", ref="dashboard", available=20_000)
    db.session.commit()
    bank = {"account_name": "张三", "account_no": "6222020000000000"}

    def withdraw(amount_fen: int, method: str, key: str, **fields):
        withdrawal = withdrawals.apply(earner.id, amount_fen=amount_fen, method=method, idempotency_key=key,
                                       **fields)
        db.session.commit()
        return withdrawal.id

    withdraw(1_000, "bank", "reviewing", **bank)
    withdrawals.approve(STAFF, withdraw(1_500, "bank", "approved", **bank))
    withdrawals.approve(STAFF, withdraw(1_200, "wechat", "paying"))
    withdrawals.approve(STAFF, withdraw(800, "balance", "paid"))
    withdrawals.reject(STAFF, withdraw(700, "bank", "rejected", **bank), "信息有误")
    db.session.commit()
    # then the three the shop still has to handle, and what they add up to, whatever the range
    board = read_board("today", NOW)
    assert (board.pending_withdrawals, board.pending_withdrawal_fen) == (3, 3_700)
    assert read_board("30d", NOW).pending_withdrawals == 3


def test_the_page_names_the_money_card_sales_amount_and_shows_every_figure(app):
    # given an order paid just now whose 10% commission was released to its agent, who asked to
    # withdraw half of it to a bank card
    configure(levels=1, rate1_bp=1000, freeze_days=0, withdraw_methods=["bank"])
    earner, buyer = agent("earner"), factories.shopper("buyer")
    bind(buyer, earner)
    complete(paid_order(buyer, [(sku(12_300), 1)]))
    release(utcnow())
    withdrawals.apply(earner.id, amount_fen=615, method="bank", idempotency_key="half", account_name="张三",
                      account_no="6222020000000000")
    make_staff()
    client = app.test_client()
    log_in(client)
    # when the rollups' job has run (as it does every minute) and today's dashboard is opened
    refresh_rollups()
    html = client.get("/admin/").get_data(as_text=True)
    # then the money card is 销售额 (not 销量), every card shows its figure and the page says how
    # fresh the figures are, in Beijing time
    assert "销量" not in html
    as_of = to_beijing(rollups.refreshed_at()).strftime("%m-%d %H:%M")
    assert re.search(rf"数据截至 {as_of}，每分钟更新", html)
    for label, value in (("销售额", "¥123.00"), ("订单", "1"), ("新增顾客", "2"), ("新增分销员", "1"),
                         ("产生佣金", "¥12.30"), ("结算佣金", "¥12.30"), ("待处理提现", "1 · ¥6.15")):
        assert re.search(rf"{label}</div>\s*<div[^>]*>{re.escape(value)}</div>", html), label
