"""Commission moves pending → frozen (from completion, not payment) → available, and refunds
take it back in proportion — cancelled before it is available, clawed back after — with
every account equal to its entries throughout."""

from __future__ import annotations

import pytest
from click.testing import Result

from app.core.models import utcnow
from app.distribution import ledger
from app.distribution.explain import explain
from app.extensions import db
from tests import factories
from tests.distribution_helpers import (
    account,
    bind,
    complete,
    configure,
    days,
    lines_of,
    paid_order,
    problems,
    referral_chain,
    refund,
    release,
    sku,
)

ZERO = {"pending": 0, "frozen": 0, "available": 0, "withdrawing": 0, "withdrawn": 0}


@pytest.fixture
def family(app):
    """Agent B ← agent C ← shopper D; levels 2 at 10% and 5%."""
    configure(levels=2, rate1_bp=1000, rate2_bp=500, freeze_days=7)
    b, c = referral_chain("B", "C")
    d = factories.shopper("D")
    bind(d, c)
    return b, c, d


def test_commission_freezes_from_completion_and_releases_after_the_freeze_days(family):
    b, c, d = family
    order = paid_order(d, [(sku(), 1)])
    assert account(c) == {**ZERO, "pending": 1000}
    completed_at = (utcnow() + days(20)).replace(microsecond=0)  # long after payment: the clock starts here
    complete(order, at=completed_at)
    assert account(c) == {**ZERO, "frozen": 1000} and account(b) == {**ZERO, "frozen": 500}
    assert {line.frozen_until for line in lines_of(order) if line.amount_fen} == {completed_at + days(7)}
    assert release(completed_at + days(7) - days(1) / 24) == 0
    assert release(completed_at + days(7)) == 2
    assert release(completed_at + days(8)) == 0  # a second sweep changes nothing
    assert account(c) == {**ZERO, "available": 1000} and account(b) == {**ZERO, "available": 500}
    assert problems() == []


def test_freezing_twice_changes_nothing(family):
    _b, c, d = family
    order = paid_order(d, [(sku(), 1)])
    complete(order)
    complete(order)
    assert account(c) == {**ZERO, "frozen": 1000}
    assert problems() == []


def test_partial_refunds_add_up_exactly_to_a_full_refund(family):
    b, c, d = family
    order = paid_order(d, [(sku(price_fen=3333), 3)])  # paid 9999: 999 and 499 commission
    item = order.items[0]
    for after_sale_id, amount in ((1, 3333), (2, 3333), (3, 3333)):
        refund(item, amount, 1, after_sale_id)
    lines = {line.level: line for line in lines_of(order)}
    assert (lines[1].cancelled_fen, lines[1].status) == (999, "cancelled")
    assert (lines[2].cancelled_fen, lines[2].status) == (499, "cancelled")
    assert account(c) == ZERO and account(b) == ZERO
    assert problems() == []


def test_each_partial_refund_cancels_its_cumulative_share_rounded_down(family):
    _b, c, d = family
    order = paid_order(d, [(sku(price_fen=9999), 1)])  # 999 to C
    item = order.items[0]
    refund(item, 1, 1, 1)
    assert account(c)["pending"] == 999 - 0  # 999 × 1 / 9999 rounds down to 0
    refund(item, 3332, 1, 2)
    assert account(c)["pending"] == 999 - 333  # cumulative 3333 → 333
    refund(item, 6666, 1, 3)
    assert account(c)["pending"] == 0
    assert problems() == []


def test_a_replayed_refund_changes_nothing(family):
    _b, c, d = family
    order = paid_order(d, [(sku(), 2)])
    refund(order.items[0], 10_000, 1, 7)
    refund(order.items[0], 10_000, 1, 7)
    assert account(c)["pending"] == 1000
    assert problems() == []


def test_a_frozen_refund_is_cancelled_from_frozen(family):
    _b, c, d = family
    order = paid_order(d, [(sku(), 2)])
    complete(order)
    refund(order.items[0], 5_000, 1, 1)
    assert account(c) == {**ZERO, "frozen": 1500}
    assert problems() == []


def test_refund_after_release_claws_back_and_may_take_available_below_zero(family):
    _b, c, d = family
    order = paid_order(d, [(sku(), 1)])
    complete(order, at=utcnow() - days(10))
    release(utcnow())
    assert account(c) == {**ZERO, "available": 1000}
    # given the agent has since withdrawn it all (withdrawals come later; an entry stands for one)
    ledger.post(c.id, "withdraw_test", ref="w1", available=-1000, withdrawn=1000)
    db.session.commit()
    refund(order.items[0], 10_000, 1, 1)
    assert account(c) == {**ZERO, "available": -1000, "withdrawn": 1000}
    (line,) = [line for line in lines_of(order) if line.level == 1]
    assert (line.status, line.clawed_back_fen) == ("available", 1000)
    later = paid_order(d, [(sku(), 1)])  # later commission nets against the debt
    complete(later, at=utcnow() - days(10))
    release(utcnow())
    assert account(c)["available"] == 0
    assert problems() == []


def test_a_refund_before_accrual_is_applied_when_accrual_runs(family):
    from app.distribution import jobs

    _b, c, d = family
    order = factories.order(d, [(sku(), 2)], status="paid")
    refund(order.items[0], 10_000, 1, 1)  # the refund job happened to run first
    jobs.accrue_commissions(order.id)
    db.session.commit()
    assert account(c)["pending"] == 1000
    assert problems() == []


def test_explain_shows_what_was_taken_back(family):
    _b, _c, d = family
    order = paid_order(d, [(sku(), 2)])
    refund(order.items[0], 5_000, 1, 1)
    level1 = explain(order.id)[0]["lines"][0]
    assert (level1["amount_fen"], level1["cancelled_fen"], level1["net_fen"]) == (2000, 500, 1500)


def test_verify_reports_an_account_that_disagrees_with_its_entries(family, runner):
    from sqlalchemy import update

    from app.distribution.commission_models import AgentAccount

    _b, c, d = family
    paid_order(d, [(sku(), 1)])
    result: Result = runner.invoke(args=["distribution", "verify"])
    assert result.exit_code == 0 and result.output == ""
    db.session.execute(update(AgentAccount).where(AgentAccount.user_id == c.id).values(pending_fen=1))
    db.session.commit()
    result = runner.invoke(args=["distribution", "verify"])
    assert result.exit_code == 1
    assert f"account {c.id}: pending is 1, its entries add up to 1000" in result.output


def test_release_command_releases_due_commission(family, runner):
    _b, c, d = family
    order = paid_order(d, [(sku(), 1)])
    complete(order, at=utcnow() - days(8))
    result = runner.invoke(args=["distribution", "release"])
    assert "released 2 commission line(s)" in result.output
    assert account(c)["available"] == 1000
