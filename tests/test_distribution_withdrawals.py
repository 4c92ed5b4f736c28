"""Withdrawals: the amount is held at once and never more than is available (even fifty at
once), review approves or rejects (the hold returns), and each method pays its way: store
balance at once, WeChat by merchant transfer until its notification, bank and Alipay by hand."""

from __future__ import annotations

import itertools
import threading

import pytest
from sqlalchemy import select, update

from app.audit.models import AuditEntry
from app.audit.services import Actor
from app.core.errors import Conflict, ValidationError
from app.core.state_machine import IllegalTransition
from app.distribution import ledger, withdrawals
from app.distribution.states import WithdrawalStatus, move_withdrawal
from app.distribution.withdrawal_models import Withdrawal
from app.extensions import db
from app.members.services import wallet_of
from tests.distribution_helpers import account, agent, configure, problems

STAFF = Actor(None, "127.0.0.1")
_keys = itertools.count(1)


def _fund(user, fen: int) -> None:
    """Available commission, as released lines would leave it."""
    ledger.post(user.id, "test_credit", ref=next(_keys), available=fen)
    db.session.commit()


def _apply(user, amount_fen: int, method: str = "balance", key: str | None = None, **fields) -> Withdrawal:
    withdrawal = withdrawals.apply(user.id, amount_fen=amount_fen, method=method,
                                   idempotency_key=key or f"k{next(_keys)}", **fields)
    db.session.commit()
    return withdrawal


@pytest.fixture
def rich(app):
    configure(withdraw_methods=["wechat", "balance", "bank", "alipay"], withdraw_min_fen=100,
              withdraw_max_fen=50_000, withdraw_daily_limit=5, withdraw_fee_bp=100)
    user = agent("rich")
    _fund(user, 10_000)
    return user


def test_a_balance_withdrawal_is_held_then_paid_into_the_store_balance_without_fee(rich):
    withdrawal = _apply(rich, 3_000)
    assert (withdrawal.status, withdrawal.fee_fen) == ("reviewing", 0)
    assert account(rich)["available"] == 7_000 and account(rich)["withdrawing"] == 3_000
    withdrawals.approve(STAFF, withdrawal.id)
    db.session.commit()
    assert withdrawal.status == "paid" and wallet_of(rich.id).balance_fen == 3_000
    assert account(rich) == {"pending": 0, "frozen": 0, "available": 7_000, "withdrawing": 0, "withdrawn": 3_000}
    assert db.session.scalar(select(AuditEntry.action).where(AuditEntry.target_type == "withdrawal",
                                                             AuditEntry.target_id == str(withdrawal.id))) == \
        "withdrawal.approve"
    assert problems() == []


def test_a_repeated_request_returns_the_first_and_holds_once(rich):
    first = _apply(rich, 1_000, key="same")
    again = _apply(rich, 1_000, key="same")
    assert again.id == first.id and account(rich)["available"] == 9_000


def test_no_more_than_is_available_and_nothing_while_in_debt(rich):
    with pytest.raises(Conflict) as refused:
        _apply(rich, 10_001)
    assert refused.value.code == "not_enough"
    db.session.rollback()
    ledger.post(rich.id, "clawback_test", ref="debt", available=-10_500)
    db.session.commit()
    with pytest.raises(Conflict):
        _apply(rich, 100)
    db.session.rollback()
    assert account(rich)["available"] == -500 and problems() == []


def test_limits_and_methods_are_checked(rich):
    configure(withdraw_methods=["balance", "bank"])
    for amount, method, fields, field in ((99, "balance", {}, "amount_fen"), (50_001, "balance", {}, "amount_fen"),
                                          (500, "wechat", {}, "method"), (500, "bank", {}, "account_no")):
        with pytest.raises(ValidationError) as refused:
            _apply(rich, amount, method, **fields)
        assert field in refused.value.fields
        db.session.rollback()
    assert account(rich)["available"] == 10_000


def test_the_daily_count_limit(rich):
    configure(withdraw_daily_limit=2)
    _apply(rich, 100)
    _apply(rich, 100)
    with pytest.raises(Conflict) as refused:
        _apply(rich, 100)
    assert refused.value.code == "daily_limit"


def test_rejecting_returns_the_hold(rich):
    withdrawal = _apply(rich, 2_000)
    with pytest.raises(ValidationError):
        withdrawals.reject(STAFF, withdrawal.id, "")
    db.session.rollback()
    withdrawals.reject(STAFF, withdrawal.id, "信息不符")
    db.session.commit()
    assert withdrawal.status == "rejected" and account(rich)["available"] == 10_000
    with pytest.raises(Conflict):
        withdrawals.approve(STAFF, withdrawal.id)
    db.session.rollback()
    assert problems() == []


def test_small_requests_approve_themselves(rich):
    configure(withdraw_auto_below_fen=1_000)
    small, large = _apply(rich, 999), _apply(rich, 1_000)
    assert (small.status, large.status) == ("paid", "reviewing")


def test_a_bank_withdrawal_is_paid_by_hand_with_its_fee(rich):
    withdrawal = _apply(rich, 5_000, "bank", account_name="张三", account_no="6222 0000 1111", bank_name="工商银行")
    assert (withdrawal.fee_fen, withdrawal.net_fen) == (50, 4_950)
    withdrawals.approve(STAFF, withdrawal.id)
    db.session.commit()
    assert withdrawal.status == "approved" and account(rich)["withdrawing"] == 5_000
    withdrawals.mark_paid(STAFF, withdrawal.id)
    db.session.commit()
    assert withdrawal.status == "paid" and account(rich)["withdrawn"] == 5_000
    assert problems() == []


def test_an_agent_reaches_only_their_own_withdrawal(rich):
    withdrawal = _apply(rich, 100)
    other = agent("other")
    from app.core.errors import NotFound

    with pytest.raises(NotFound):
        withdrawals.of_user(other.id, withdrawal.id)


def test_fifty_concurrent_withdrawals_never_take_more_than_is_available(rich, app):
    configure(withdraw_daily_limit=100)
    user_id = rich.id  # read here: the test's session must not be touched from the threads
    barrier = threading.Barrier(50)
    made: list[int] = []

    def run(index: int) -> None:
        with app.app_context():
            barrier.wait()
            try:
                withdrawals.apply(user_id, amount_fen=300, method="balance", idempotency_key=f"c{index}")
                db.session.commit()
                made.append(index)
            except Exception:
                db.session.rollback()
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    held = account(rich)
    assert held["available"] >= 0 and held["available"] + held["withdrawing"] == 10_000
    assert made and held["withdrawing"] == 300 * len(made) <= 10_000
    assert problems() == []


def test_no_withdrawal_transition_outside_the_table_is_possible(rich):
    withdrawal = _apply(rich, 100)
    allowed = {(current, wanted) for current, targets in {
        "reviewing": ("approved", "paying", "paid", "rejected"), "approved": ("paid",),
        "paying": ("paid", "failed")}.items() for wanted in targets}
    for current, wanted in itertools.product(WithdrawalStatus, repeat=2):
        db.session.execute(update(Withdrawal).where(Withdrawal.id == withdrawal.id).values(status=current))
        db.session.refresh(withdrawal)
        if (current, wanted) in allowed:
            assert move_withdrawal(withdrawal, wanted) and withdrawal.status == wanted
        else:
            with pytest.raises(IllegalTransition):
                move_withdrawal(withdrawal, wanted)
    db.session.rollback()
