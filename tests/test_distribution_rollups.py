"""The agent centre's figures come from rows kept for them (the account, per-agent rollups of
each day, week and month) instead of sums over the agent's lines. After real flows — orders
paid yesterday and today, completed, released, refunded before and after release, withdrawn —
they must be exactly what the old sums over the lines said (kept here as the oracle), the
ledger's rows must be what a rebuild from the lines writes, and verify must hold them to it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import case, func, select, update

from app.audit.services import SYSTEM
from app.core.china_time import day_start_utc, to_beijing
from app.core.models import utcnow
from app.distribution import queries, rollups, withdrawals
from app.distribution.agent_models import BindingEvent
from app.distribution.commission_models import CommissionLine
from app.distribution.rollup_models import FIGURES, AgentRollup, Span
from app.extensions import db
from tests import factories
from tests.distribution_helpers import (
    bind,
    complete,
    configure,
    paid_order,
    problems,
    referral_chain,
    refund,
    release,
    sku,
)

SHOWN_STATUSES = ("pending", "frozen", "available", "cancelled")


def summed_over_lines(user_id: int) -> dict:
    """The summary's commission as it was computed before the rollups: two SUMs over the lines."""
    net = CommissionLine.amount_fen - CommissionLine.cancelled_fen - CommissionLine.clawed_back_fen
    mine = (CommissionLine.beneficiary_user_id == user_id, CommissionLine.amount_fen > 0)
    today = day_start_utc(to_beijing(utcnow()).date())
    total, today_total = db.session.execute(select(
        func.coalesce(func.sum(net), 0),
        func.coalesce(func.sum(case((CommissionLine.created_at >= today, net), else_=0)), 0)).where(*mine)).one()
    by_status, today_by_status = {}, {}
    for status, value, today_value in db.session.execute(
            select(CommissionLine.status, func.sum(net),
                   func.sum(case((CommissionLine.created_at >= today, net), else_=0)))
            .where(*mine).group_by(CommissionLine.status)):
        by_status[status], today_by_status[status] = int(value or 0), int(today_value or 0)
    return {"total_fen": int(total), "today_fen": int(today_total),
            "by_status": {status: by_status.get(status, 0) for status in SHOWN_STATUSES},
            "today_by_status": {status: today_by_status.get(status, 0) for status in SHOWN_STATUSES}}


def ranked_over_lines(by: str, period: str) -> list[tuple[int, int]]:
    """The leaderboard as it was computed before the rollups (agents with something to show)."""
    today = to_beijing(utcnow()).date()
    first_day = today.replace(day=1) if period == "month" else today - timedelta(days=today.weekday())
    since = day_start_utc(first_day)
    if by == "invites":
        who, value = BindingEvent.referrer_user_id, func.count(BindingEvent.id)
        statement = select(who, value).where(BindingEvent.action == "bind", BindingEvent.created_at >= since)
    else:
        who = CommissionLine.beneficiary_user_id
        value = func.sum(CommissionLine.amount_fen - CommissionLine.cancelled_fen - CommissionLine.clawed_back_fen)
        statement = select(who, value).where(CommissionLine.amount_fen > 0, CommissionLine.created_at >= since)
    rows = db.session.execute(statement.group_by(who)).all()
    return sorted(((user_id, int(amount)) for user_id, amount in rows if amount), key=lambda row: (-row[1], -row[0]))


def kept_rows() -> list[tuple]:
    db.session.commit()
    return [tuple(row) for row in db.session.execute(
        select(AgentRollup.user_id, AgentRollup.span, AgentRollup.start_day,
               *(getattr(AgentRollup, figure) for figure in FIGURES))
        .order_by(AgentRollup.user_id, AgentRollup.span, AgentRollup.start_day))]


@pytest.fixture
def busy_agents(app, monkeypatch):
    """Upper ← lower, with shoppers under each; orders paid yesterday and today, through every
    turn a line can take."""
    configure(levels=2, rate1_bp=1000, rate2_bp=500, freeze_days=7, withdraw_methods=["balance"],
              withdraw_auto_below_fen=0, withdraw_daily_limit=5)
    upper, lower = referral_chain("上级", "下级")
    x, y, z = factories.shopper("甲"), factories.shopper("乙"), factories.shopper("丙")
    bind(x, lower)
    bind(y, lower)
    bind(z, upper)
    item = sku(10_000)
    now = utcnow()
    yesterday = now - timedelta(days=1)
    monkeypatch.setattr("app.distribution.accrual.utcnow", lambda: yesterday)
    released_then_withdrawn = paid_order(x, [(item, 2)])  # lower 2000, upper 1000
    cancelled_in_part = paid_order(y, [(item, 1)])  # lower 1000, upper 500
    clawed_back_in_full = paid_order(z, [(item, 1)])  # upper 1000
    monkeypatch.undo()
    complete(released_then_withdrawn)
    complete(clawed_back_in_full)
    assert release(now + timedelta(days=8)) == 3
    refund(cancelled_in_part.items[0], 5_000, 0, after_sale_id=1)  # half, while pending
    refund(clawed_back_in_full.items[0], 10_000, 1, after_sale_id=2)  # all of it, after release
    withdrawal = withdrawals.apply(lower.id, amount_fen=2_000, method="balance", idempotency_key="rollups-1")
    withdrawals.approve(SYSTEM, withdrawal.id)
    db.session.commit()

    clawed_back_in_part = paid_order(x, [(item, 1)])  # today: lower 1000, upper 500
    complete(clawed_back_in_part)
    assert release(now + timedelta(days=8)) == 2
    refund(clawed_back_in_part.items[0], 3_000, 0, after_sale_id=3)
    cancelled_in_full = paid_order(y, [(item, 3)])
    refund(cancelled_in_full.items[0], 30_000, 3, after_sale_id=4)
    still_frozen = paid_order(z, [(item, 1)])
    complete(still_frozen)
    frozen_in_part = paid_order(x, [(item, 2)])
    complete(frozen_in_part)
    refund(frozen_in_part.items[0], 5_000, 1, after_sale_id=5)  # a quarter, while frozen
    paid_order(y, [(item, 1)])  # still pending
    return upper, lower


def test_the_summary_from_kept_rows_is_what_the_sums_over_lines_say(busy_agents, client):
    upper, lower = busy_agents
    db.session.commit()
    for agent in (upper, lower):
        assert queries.summary(agent.id)["commission"] == summed_over_lines(agent.id)
    # the flows reached every figure: both days, every status, money withdrawn
    mine = queries.summary(lower.id)
    assert mine["commission"]["today_fen"] and mine["commission"]["total_fen"] > mine["commission"]["today_fen"]
    assert all(mine["commission"]["by_status"][status] for status in ("pending", "frozen", "available"))
    assert mine["account"]["withdrawn_fen"] == 2_000
    assert problems() == []


def test_a_rebuild_writes_exactly_what_the_ledger_kept(busy_agents, runner):
    kept = kept_rows()
    assert {row[1] for row in kept} == {"day", "week", "month"}

    result = runner.invoke(args=["distribution", "rebuild-rollups"])

    assert result.exit_code == 0, result.output
    assert kept_rows() == kept


def test_one_agents_rebuild_leaves_the_others_alone(busy_agents, runner):
    upper, lower = busy_agents
    kept = kept_rows()
    db.session.execute(update(AgentRollup).values(net_fen=AgentRollup.net_fen + 1))
    db.session.commit()

    assert runner.invoke(args=["distribution", "rebuild-rollups", "--agent", str(lower.id)]).exit_code == 0

    after = kept_rows()
    assert [row for row in after if row[0] == lower.id] == [row for row in kept if row[0] == lower.id]
    assert all(row[9] == before[9] + 1 for row, before in zip(after, kept, strict=True) if row[0] == upper.id)


def test_verify_finds_a_rollup_that_drifted_and_a_rebuild_mends_it(busy_agents, runner):
    upper, _lower = busy_agents
    today = to_beijing(utcnow()).date()
    starts = {span: rollups.span_start(span, today) for span in Span}
    before = {span: rollups.figures_of(upper.id, span, start) for span, start in starts.items()}
    db.session.execute(update(AgentRollup).where(AgentRollup.user_id == upper.id, AgentRollup.span == "day",
                                                 AgentRollup.start_day == today)
                       .values(frozen_fen=AgentRollup.frozen_fen + 7, invites=AgentRollup.invites + 1))
    db.session.commit()

    result = runner.invoke(args=["distribution", "verify", "--agent", str(upper.id)])

    assert result.exit_code == 1
    day, week, month = (before[span] for span in (Span.DAY, Span.WEEK, Span.MONTH))
    assert result.stdout.splitlines() == [
        f"rollup of {upper.id} (day from {today}): holds {{'frozen_fen': {day['frozen_fen'] + 7}, "
        f"'invites': {day['invites'] + 1}}}, its lines and bindings add up to "
        f"{{'frozen_fen': {day['frozen_fen']}, 'invites': {day['invites']}}}",
        *(f"rollup of {upper.id} ({span} from {starts[span]}): holds {{'frozen_fen': {row['frozen_fen']}, "
          f"'invites': {row['invites']}}}, its days add up to {{'frozen_fen': {row['frozen_fen'] + 7}, "
          f"'invites': {row['invites'] + 1}}}" for span, row in ((Span.WEEK, week), (Span.MONTH, month)))]
    assert day["frozen_fen"] and day["invites"] == 2  # lower and 丙 were bound today
    assert runner.invoke(args=["distribution", "rebuild-rollups"]).exit_code == 0
    assert runner.invoke(args=["distribution", "verify"]).output == ""


def test_the_leaderboards_are_the_tops_of_the_week_and_month(busy_agents, client):
    for by in ("commission", "invites"):
        for period in ("week", "month"):
            shown = [(row["user_id"], row["value"]) for row in queries.rankings(by, period)]
            assert shown == ranked_over_lines(by, period)
            assert shown  # the flows gave both agents something this week
