"""The daily rollups behind the dashboard, kept by the refresh job after real flows.

Shoppers log in, agents are appointed, orders are paid with the store balance and refunded
through after-sales, commission is accrued, released and taken back by the distribution jobs
(run inline after each commit, as RQ would); the job then recomputes the days those changes
marked. After it, every figure and trend point of the dashboard must equal the figures
computed from the source rows over the same range — what the dashboard computed on every
request before the rollups (`sources.figures`, run over the whole range, not day by day).

A past day's state is set by moving a row's time by hand and rebuilding that day (as the job
would have left it then); what happens next — a refund today — goes through the real flow.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, update

from app.accounts.models import User
from app.accounts.services import dev_login
from app.audit.services import SYSTEM as AUDIT_SYSTEM
from app.audit.services import Actor
from app.core.china_time import day_start_utc, to_beijing
from app.core.models import utcnow
from app.distribution import agents
from app.distribution.agent_models import Agent
from app.distribution.commission_models import CommissionEntry
from app.distribution.ledger import EntryKind
from app.extensions import db
from app.orders import after_sales, fulfilment, oplog
from app.orders.after_sales import Application
from app.orders.models import AfterSale, Order
from app.orders.payment import pay_order
from app.reports import rollups
from app.reports.dashboard import RANGES, build_dashboard
from app.reports.jobs import refresh_rollups
from app.reports.models import DailyShopFigures, DirtyDay
from app.reports.sources import FIGURES, Figures, Window, figures
from tests import factories
from tests.distribution_helpers import bind, complete, configure, lines_of, release
from tests.order_pay_helpers import allow, top_up

BOSS = Actor(None, "127.0.0.1")
BY = oplog.staff(None, "boss")


@pytest.fixture(autouse=True)
def _no_marks_yet(app):
    """Start with no day marked (the migration marks the last 31 days of an upgraded shop)."""
    db.session.execute(DirtyDay.__table__.delete())
    db.session.commit()


# -- the real flows ---------------------------------------------------------------------------

def new_shopper(name: str):
    user = dev_login(name)  # the sandbox's WeChat login: the account is created on first use
    db.session.commit()
    return user


def new_agent(name: str):
    user = new_shopper(name)
    agents.appoint(AUDIT_SYSTEM, user.id)
    db.session.commit()
    return user


def pay(buyer, price_fen: int, quantity: int = 1, method: str = "balance") -> Order:
    """An order the buyer places and pays (its commission accrued by the order.paid job)."""
    sku = factories.product(factories.category(), price_fen=price_fen, stock=100).skus[0]
    order = factories.order(buyer, [(sku, quantity)])
    if method == "balance":
        top_up(buyer, price_fen * quantity)
    pay_order(buyer.id, order.id, method)
    db.session.commit()
    return db.session.get(Order, order.id)


def refund_one_unit(order: Order) -> AfterSale:
    """The buyer asks for one unit's money back and the merchant agrees: refunded to the balance."""
    row = after_sales.request_after_sale(order.user_id, Application(
        order_item_id=order.items[0].id, kind="refund_only", quantity=1, reason="质量问题"))
    db.session.commit()
    after_sales.approve(BOSS, BY, row.id)
    db.session.commit()
    return row


def shop_with_agent():
    """Commission 10% at level 1, released as soon as the order completes; an agent and a buyer."""
    configure(levels=1, rate1_bp=1000, freeze_days=0)
    earner, buyer = new_agent("earner"), new_shopper("buyer")
    bind(buyer, earner)
    return earner, buyer


# -- the past, as the job would have left it ------------------------------------------------

def today():
    return to_beijing(utcnow()).date()


def days_ago(days: int, hour: int = 12) -> datetime:
    """`hour` o'clock Beijing time `days` days ago, as stored (naive UTC)."""
    return day_start_utc(today() - timedelta(days=days)) + timedelta(hours=hour)


def rolled_up_since(days: int) -> None:
    rollups.rebuild(today() - timedelta(days=days), today())


def paid_on(order: Order, moment: datetime) -> None:
    db.session.execute(update(Order).where(Order.id == order.id).values(paid_at=moment))
    db.session.commit()


def released_on(order: Order, moment: datetime) -> None:
    db.session.execute(update(CommissionEntry).where(
        CommissionEntry.kind == EntryKind.RELEASE, CommissionEntry.line_id.in_([line.id for line in lines_of(order)]))
        .values(created_at=moment))
    db.session.commit()


# -- what is checked --------------------------------------------------------------------------

def from_sources(range_key: str) -> Figures:
    """The range's figures computed from the source rows over the whole range at once."""
    db.session.commit()
    return figures(Window(today() - timedelta(days=RANGES[range_key] - 1), today()))


def assert_board_matches_sources() -> None:
    """Every range's figures, and every trend point of the month, as the source rows say."""
    for key in RANGES:
        assert build_dashboard(key).figures == from_sources(key), key
    month = build_dashboard("30d")
    per_day = [figures(Window(day, day)) for day in Window(today() - timedelta(days=29), today()).days()]
    assert month.sales_trend_fen == [day.sales_fen for day in per_day]
    assert month.commission_trend_fen == [day.commission_accrued_fen for day in per_day]
    assert month.shopper_trend == [day.new_shoppers for day in per_day]


def marked_days() -> set:
    db.session.commit()
    return set(db.session.scalars(select(DirtyDay.day)))


def rollup_rows() -> list[tuple]:
    db.session.commit()
    return [tuple(getattr(row, name) for name in ("day", *FIGURES))
            for row in db.session.scalars(select(DailyShopFigures).order_by(DailyShopFigures.day))]


# -- the tests --------------------------------------------------------------------------------

def test_todays_payments_shoppers_agents_and_releases_reach_the_dashboard_when_the_job_runs(app):
    # given an agent and a shopper who logged in today, two orders the shopper paid (10,000
    # and 20,000), the second received and its commission released
    _earner, buyer = shop_with_agent()
    pay(buyer, 10_000)
    complete(pay(buyer, 20_000))
    release(utcnow())
    # then the dashboard does not count them yet: it reads the rollups, and the changes marked today
    assert build_dashboard("today").figures == Figures()
    assert marked_days() == {today()}
    # when the job runs, then it counts them all, as the source rows say, and no mark is left
    assert refresh_rollups() == 1
    assert build_dashboard("today").figures == Figures(
        sales_fen=30_000, orders=2, new_shoppers=2, new_agents=1, commission_accrued_fen=3_000,
        commission_settled_fen=2_000)
    assert_board_matches_sources()
    assert marked_days() == set()
    assert build_dashboard("today").refreshed_at is not None


def test_a_refund_today_of_an_order_paid_five_days_ago_changes_that_day(app):
    # given two units paid for five days ago (20,000, commission 2,000), rolled up then
    _earner, buyer = shop_with_agent()
    order = pay(buyer, 10_000, quantity=2)
    paid_on(order, days_ago(5))
    rolled_up_since(10)
    week = build_dashboard("7d")
    assert (week.figures.sales_fen, week.sales_trend_fen[1], week.commission_trend_fen[1]) == (20_000, 20_000, 2_000)
    # when one unit is refunded today (its commission cancelled by the refund job)
    refund_one_unit(order)
    # then the day it was paid is marked, and once the job has run its figures are net of the refund
    assert marked_days() == {today() - timedelta(days=5)}
    refresh_rollups()
    week = build_dashboard("7d")
    assert (week.figures.sales_fen, week.sales_trend_fen[1], week.commission_trend_fen[1]) == (10_000, 10_000, 1_000)
    assert week.sales_trend_fen[-1] == 0  # today sold nothing
    assert_board_matches_sources()


def test_a_clawback_changes_the_day_paid_and_the_day_released(app):
    # given two units paid six days ago, received, their commission (2,000) released three days ago
    _earner, buyer = shop_with_agent()
    order = pay(buyer, 10_000, quantity=2)
    complete(order)
    release(utcnow())
    paid_on(order, days_ago(6))
    released_on(order, days_ago(3, hour=9))
    rolled_up_since(10)
    assert build_dashboard("7d").figures.commission_settled_fen == 2_000
    # when one unit is refunded today: half the commission is clawed back from the agent
    refund_one_unit(order)
    # then both days are marked, and after the job: accrued on the day paid, settled on the day released
    assert marked_days() == {today() - timedelta(days=6), today() - timedelta(days=3)}
    refresh_rollups()
    week = build_dashboard("7d")
    assert (week.figures.commission_accrued_fen, week.figures.commission_settled_fen) == (1_000, 1_000)
    assert_board_matches_sources()


def test_cash_on_delivery_counts_in_sales_once_collected_on_the_day_it_was_confirmed(app):
    # given an order of 15,000 confirmed for cash on delivery two days ago (nothing received yet)
    allow(pay_cod=True)
    buyer = new_shopper("buyer")
    order = pay(buyer, 15_000, method="cod")
    paid_on(order, days_ago(2))
    rolled_up_since(10)
    assert build_dashboard("7d").figures.orders == 1 and build_dashboard("7d").figures.sales_fen == 0
    # when it is delivered today and the buyer confirms receipt (the courier collected the cash)
    fulfilment.ship_all(order.id, "SF", "SF8000000001", BY)
    fulfilment.confirm_receipt(order.id, oplog.shopper(buyer.id))
    db.session.commit()
    # then the day it was confirmed has its sales once the job has run
    assert marked_days() == {today() - timedelta(days=2)}
    refresh_rollups()
    assert build_dashboard("7d").sales_trend_fen[-3] == 15_000
    assert_board_matches_sources()


def test_an_agent_removed_or_appointed_again_moves_the_day_they_became_one(app):
    # given an agent appointed four days ago, rolled up then
    agent = new_agent("earner")
    db.session.execute(update(Agent).where(Agent.user_id == agent.id).values(became_at=days_ago(4)))
    db.session.commit()
    rolled_up_since(10)
    assert build_dashboard("7d").figures.new_agents == 1
    # when the merchant removes them, then after the job that day has no new agent
    agents.remove(AUDIT_SYSTEM, agent.id)
    db.session.commit()
    refresh_rollups()
    assert build_dashboard("7d").figures.new_agents == 0
    # and when appointed again they count on the day they first became one
    agents.appoint(AUDIT_SYSTEM, agent.id)
    db.session.commit()
    refresh_rollups()
    week = build_dashboard("7d")
    assert week.figures.new_agents == 1
    assert_board_matches_sources()


def test_an_account_folded_away_leaves_the_day_it_was_created(app):
    # given a follower's account made four days ago (as the official account makes one), rolled up
    follower = factories.shopper("follower")
    db.session.execute(update(User).where(User.id == follower.id).values(created_at=days_ago(4)))
    db.session.commit()
    rolled_up_since(10)
    assert build_dashboard("7d").shopper_trend[2] == 1
    # when it is folded into the shopper's own account and deleted (app/distribution/fan_merge.py)
    db.session.delete(follower)
    db.session.commit()
    # then after the job that day has no new shopper
    assert marked_days() == {today() - timedelta(days=4)}
    refresh_rollups()
    assert build_dashboard("7d").shopper_trend[2] == 0
    assert_board_matches_sources()


def test_a_rollback_leaves_no_mark(app):
    new_shopper("committed")
    refresh_rollups()
    dev_login("rolled-back")
    db.session.rollback()
    assert marked_days() == set()


def test_rebuild_gives_the_same_rows_as_the_job_and_twice_the_same(app, runner):
    # given a week of flows kept by the job
    _earner, buyer = shop_with_agent()
    first = pay(buyer, 10_000, quantity=2)
    paid_on(first, days_ago(3))
    complete(pay(buyer, 30_000))
    release(utcnow())
    refund_one_unit(first)
    refresh_rollups()
    kept = rollup_rows()
    # when the rollups are emptied and rebuilt from the source rows, twice
    db.session.execute(DailyShopFigures.__table__.delete())
    db.session.commit()
    since = (today() - timedelta(days=6)).isoformat()
    result = runner.invoke(args=["reports", "rebuild", "--since", since])
    assert result.exit_code == 0 and result.output.startswith("rebuilt 7 day(s)"), result.output
    rebuilt = rollup_rows()
    assert runner.invoke(args=["reports", "rebuild", "--since", since]).exit_code == 0
    # then both rebuilds wrote the same rows, which hold what the job kept on the days it touched
    assert rollup_rows() == rebuilt
    assert [row for row in rebuilt if any(row[1:])] == kept
    assert len(rebuilt) == 7
    assert_board_matches_sources()


def test_rebuild_by_default_covers_the_shops_first_day_to_today(app, runner):
    agent = new_agent("earner")
    db.session.execute(update(Agent).where(Agent.user_id == agent.id).values(became_at=days_ago(40)))
    db.session.commit()
    result = runner.invoke(args=["reports", "rebuild"])
    assert result.exit_code == 0 and "rebuilt 41 day(s)" in result.output, result.output
    assert build_dashboard("30d").figures.new_agents == 0
    assert rollup_rows()[0][0] == today() - timedelta(days=40)


def _refund_waiting(app):
    """Two units paid today and rolled up; a refund of one waiting for the merchant; today marked
    again (a newcomer), so the next run recomputes it. Returns a function that approves the
    refund from another request (thread) and an event set once that has committed."""
    _earner, buyer = shop_with_agent()
    order = pay(buyer, 10_000, quantity=2)
    refresh_rollups()
    row = after_sales.request_after_sale(order.user_id, Application(
        order_item_id=order.items[0].id, kind="refund_only", quantity=1, reason="质量问题"))
    db.session.commit()
    new_shopper("newcomer")
    refunded = threading.Event()

    def approve_elsewhere():
        with app.app_context():
            after_sales.approve(BOSS, BY, row.id)
            db.session.commit()
        refunded.set()

    return approve_elsewhere, refunded


def _while_the_job_has_read_its_day(monkeypatch, *meanwhile) -> list[threading.Thread]:
    """Run the job once; right after it has read the day's source rows (and before it writes the
    rollup), start each of `meanwhile` in a thread of its own and give it a moment."""
    threads: list[threading.Thread] = []
    real = rollups.figures

    def read_then_let_others_in(window):
        computed = real(window)
        if not threads:
            for work in meanwhile:
                threads.append(threading.Thread(target=work))
                threads[-1].start()
                threads[-1].join(timeout=1.5)  # MariaDB: a refund commits now; SQLite: it waits (one writer)
        return computed

    monkeypatch.setattr(rollups, "figures", read_then_let_others_in)
    refresh_rollups()
    monkeypatch.setattr(rollups, "figures", real)
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return threads


def _nothing_lost() -> None:
    """The refund is counted, or its day is still marked for the next run; after that run it is."""
    assert build_dashboard("today").figures == from_sources("today") or today() in marked_days()
    refresh_rollups()
    assert build_dashboard("today").figures.sales_fen == 10_000
    assert_board_matches_sources()
    assert marked_days() == set()


def test_a_refund_committed_while_the_job_recomputes_its_day_is_not_lost(app, monkeypatch):
    approve_elsewhere, refunded = _refund_waiting(app)
    # when the merchant approves the refund (another request) while the job recomputes today
    _while_the_job_has_read_its_day(monkeypatch, approve_elsewhere)
    assert refunded.is_set()
    # then the job deleted only the marks it had read: the refund's mark waits for the next run
    _nothing_lost()


def test_two_jobs_at_once_never_write_an_older_day_over_a_newer_one(app, monkeypatch):
    approve_elsewhere, refunded = _refund_waiting(app)

    def refresh_elsewhere():
        with app.app_context():
            refresh_rollups()

    # when the refund commits while one job recomputes today, and a second job starts meanwhile
    _while_the_job_has_read_its_day(monkeypatch, approve_elsewhere, refresh_elsewhere)
    assert refunded.is_set()
    # then the second waited for the first (the refresh lock), so the last write is the newest
    _nothing_lost()


def test_the_demo_shops_history_is_on_the_dashboard_right_after_seeding(app, runner):
    # given the demo shop, whose orders, agents and commission were written on earlier days
    result = runner.invoke(args=["seed", "demo"])
    assert result.exit_code == 0 and "report rollups:" in result.output, result.output
    # then the dashboard shows that history at once (no job run needed), as the rows say
    assert build_dashboard("30d").figures.orders > 0
    assert_board_matches_sources()
