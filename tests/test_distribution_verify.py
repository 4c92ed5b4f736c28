"""`flask distribution verify` walks the books in batches and still finds every discrepancy,
for the whole shop, for one agent (--agent) or for the lines of a range of Beijing days
(--since / --until)."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import delete, update

from app.core.models import utcnow
from app.distribution import verify
from app.distribution.agent_models import TeamCounter
from app.distribution.commission_models import AgentAccount, CommissionLine
from app.distribution.rollups import cohort_day
from app.extensions import db
from tests import factories
from tests.distribution_helpers import bind, configure, lines_of, paid_order, referral_chain, sku


@pytest.fixture
def two_teams(app):
    """Agents A and B, each with a shopper who paid one order: A's order pays A 1000, B's pays B 1000."""
    configure(levels=1, rate1_bp=1000)
    a, b = referral_chain("A"), referral_chain("B")
    a, b = a[0], b[0]
    orders = []
    for agent, name in ((a, "SA"), (b, "SB")):
        shopper = factories.shopper(name)
        bind(shopper, agent)
        orders.append(paid_order(shopper, [(sku(), 1)]))
    return a, b, orders


def _break_account(user) -> None:
    db.session.execute(update(AgentAccount).where(AgentAccount.user_id == user.id).values(pending_fen=1))
    db.session.commit()


def _paying_line(order) -> CommissionLine:
    return next(line for line in lines_of(order) if line.amount_fen)


def test_verify_of_one_agent_reports_only_that_agents_discrepancies(two_teams, runner):
    a, b, _orders = two_teams
    _break_account(a)
    _break_account(b)
    db.session.execute(update(TeamCounter).where(TeamCounter.user_id == b.id).values(direct_count=5))
    db.session.commit()

    result = runner.invoke(args=["distribution", "verify", "--agent", str(b.id)])

    assert result.exit_code == 1
    assert f"account {b.id}: pending is 1, its entries add up to 1000" in result.output
    assert f"team of {b.id}: counters say TeamSize(direct=5, second=0, total=1), " \
           f"the bindings say TeamSize(direct=1, second=0, total=1)" in result.output
    assert f"account {a.id}" not in result.output


def test_verify_of_one_agent_with_clean_books_says_nothing(two_teams, runner):
    a, b, _orders = two_teams
    _break_account(a)

    result = runner.invoke(args=["distribution", "verify", "--agent", str(b.id)])

    assert result.exit_code == 0 and result.output == ""


def test_verify_of_a_range_of_beijing_days_checks_the_lines_created_on_those_days(two_teams, runner):
    _a, _b, (early, late) = two_teams
    early_line, late_line = _paying_line(early), _paying_line(late)
    # 23:30 on 30 November and 00:30 on 1 December, Beijing time
    db.session.execute(update(CommissionLine).where(CommissionLine.id == early_line.id)
                       .values(created_at=datetime(2026, 11, 30, 15, 30), amount_fen=999))
    db.session.execute(update(CommissionLine).where(CommissionLine.id == late_line.id)
                       .values(created_at=datetime(2026, 11, 30, 16, 30), amount_fen=999))
    db.session.commit()

    result = runner.invoke(args=["distribution", "verify", "--since", "2026-12-01", "--until", "2026-12-01"])

    assert result.exit_code == 1
    figures = "{'accrued_fen': %d, 'pending_fen': %d, 'net_fen': %d}"
    assert result.stdout.splitlines() == [
        f"line {late_line.id} (pending): entries hold {{'pending': 1000, 'frozen': 0, 'available': 0, "
        f"'withdrawing': 0, 'withdrawn': 0}}, expected {{'pending': 999, 'frozen': 0, 'available': 0, "
        f"'withdrawing': 0, 'withdrawn': 0}}",
        # the line was moved to 1 December: that day's rollup never saw it (rollups of days only)
        f"rollup of {late_line.beneficiary_user_id} (day from 2026-12-01): holds {figures % (0, 0, 0)}, "
        f"its lines and bindings add up to {figures % (999, 999, 999)}"]
    everything = runner.invoke(args=["distribution", "verify"])
    assert f"line {early_line.id} (pending)" in everything.output


def test_verify_refuses_a_range_that_ends_before_it_starts(app, runner):
    result = runner.invoke(args=["distribution", "verify", "--since", "2026-12-02", "--until", "2026-12-01"])

    assert result.exit_code == 2
    assert "--since is after --until" in result.output


def test_verify_in_small_batches_finds_what_it_finds_in_one(two_teams, runner, monkeypatch):
    a, b, orders = two_teams
    c = referral_chain("C")[0]
    bind(factories.shopper("SC"), c)
    _break_account(b)
    db.session.execute(delete(AgentAccount).where(AgentAccount.user_id == a.id))
    db.session.execute(delete(TeamCounter).where(TeamCounter.user_id == c.id))
    db.session.execute(update(CommissionLine).where(CommissionLine.id == _paying_line(orders[1]).id)
                       .values(amount_fen=1))
    db.session.commit()
    whole = list(verify.problems())

    monkeypatch.setattr(verify, "BATCH", 1)
    in_batches = list(verify.problems())

    assert in_batches == whole
    assert whole == [
        f"account {b.id}: pending is 1, its entries add up to 1000",
        f"account {a.id}: missing, its entries add up to {{'pending': 1000, 'frozen': 0, 'available': 0, "
        f"'withdrawing': 0, 'withdrawn': 0}}",
        f"line {_paying_line(orders[1]).id} (pending): entries hold {{'pending': 1000, 'frozen': 0, "
        f"'available': 0, 'withdrawing': 0, 'withdrawn': 0}}, expected {{'pending': 1, 'frozen': 0, "
        f"'available': 0, 'withdrawing': 0, 'withdrawn': 0}}",
        f"team of {c.id}: no counters, the bindings say TeamSize(direct=1, second=0, total=1)",
        f"rollup of {b.id} (day from {cohort_day(utcnow())}): holds {{'accrued_fen': 1000, 'pending_fen': 1000, "
        f"'net_fen': 1000}}, its lines and bindings add up to {{'accrued_fen': 1, 'pending_fen': 1, 'net_fen': 1}}",
    ]
