"""A WeChat withdrawal goes through the sandbox's merchant transfer: approved, it waits for
the agent's confirmation (the package for wx.requestMerchantTransfer), and the transfer's
notification pays it — or, on failure, gives the hold back."""

from __future__ import annotations

from app.audit.services import Actor
from app.distribution import agents, ledger, withdrawals
from app.distribution.withdrawal_models import Withdrawal
from app.extensions import db
from tests.distribution_helpers import account, configure, problems
from tests.pay_helpers import fresh, shopper, simulate

STAFF = Actor(None, "127.0.0.1")


class _User:
    def __init__(self, user_id: int) -> None:
        self.id = user_id


def _wechat_withdrawal(name: str) -> Withdrawal:
    configure(withdraw_methods=["wechat"], withdraw_fee_bp=0)
    user = shopper(name)
    agents.appoint(STAFF, user.id)
    ledger.post(user.id, "test_credit", ref=name, available=5_000)
    db.session.commit()
    withdrawal = withdrawals.apply(user.id, amount_fen=2_000, method="wechat", idempotency_key="w1")
    withdrawals.approve(STAFF, withdrawal.id)
    db.session.commit()
    return withdrawal


def test_an_approved_wechat_withdrawal_waits_for_confirmation_then_is_paid(live_app, live_server):
    withdrawal = _wechat_withdrawal("wanda")
    assert withdrawal.status == "paying"
    prompt = withdrawals.transfer_prompt(withdrawal.user_id, withdrawal.id)
    db.session.commit()  # as the API would: the transfer row it locked is free again
    assert prompt.params and prompt.params["package"]
    simulate(live_server, "transfer/success", out_bill_no=prompt.transfer.out_bill_no)
    paid = fresh(Withdrawal, withdrawal.id)
    assert paid.status == "paid" and paid.paid_at is not None
    assert account(_User(paid.user_id)) == {
        "pending": 0, "frozen": 0, "available": 3_000, "withdrawing": 0, "withdrawn": 2_000}
    assert problems() == []


def test_a_failed_transfer_gives_the_hold_back(live_app, live_server):
    withdrawal = _wechat_withdrawal("frank")
    prompt = withdrawals.transfer_prompt(withdrawal.user_id, withdrawal.id)
    db.session.commit()  # as the API would: the transfer row it locked is free again
    simulate(live_server, "transfer/fail", out_bill_no=prompt.transfer.out_bill_no, fail_reason="ACCOUNT_FROZEN")
    failed = fresh(Withdrawal, withdrawal.id)
    assert failed.status == "failed" and failed.fail_reason == "ACCOUNT_FROZEN"
    assert account(_User(failed.user_id))["available"] == 5_000
    assert problems() == []


def test_a_stuck_transfer_is_settled_by_the_sweep_once_even_when_replayed(live_app, live_server):
    from app.core.jobs import enqueue_now
    from app.distribution.jobs import sweep_stuck_withdrawals

    # given a WeChat withdrawal whose transfer succeeded at WeChat but whose notification was lost
    withdrawal = _wechat_withdrawal("stella")
    prompt = withdrawals.transfer_prompt(withdrawal.user_id, withdrawal.id)
    db.session.commit()
    simulate(live_server, "transfer/success", out_bill_no=prompt.transfer.out_bill_no, notify=False)
    assert fresh(Withdrawal, withdrawal.id).status == "paying"
    # a recent one is left to its notification
    enqueue_now(sweep_stuck_withdrawals)
    assert fresh(Withdrawal, withdrawal.id).status == "paying"
    # when the scheduled sweep runs (as RQ cron enqueues it), twice
    enqueue_now(sweep_stuck_withdrawals, 0)
    enqueue_now(sweep_stuck_withdrawals, 0)
    # then the withdrawal is paid once
    paid = fresh(Withdrawal, withdrawal.id)
    assert paid.status == "paid"
    assert account(_User(paid.user_id)) == {
        "pending": 0, "frozen": 0, "available": 3_000, "withdrawing": 0, "withdrawn": 2_000}
    # and a late notification replayed afterwards changes nothing
    simulate(live_server, "transfer/success", out_bill_no=prompt.transfer.out_bill_no)
    assert account(_User(paid.user_id))["withdrawn"] == 2_000
    assert problems() == []


def test_the_transfers_command_gives_back_the_hold_of_a_failed_transfer(live_app, live_server):
    withdrawal = _wechat_withdrawal("fiona")
    prompt = withdrawals.transfer_prompt(withdrawal.user_id, withdrawal.id)
    db.session.commit()
    simulate(live_server, "transfer/fail", out_bill_no=prompt.transfer.out_bill_no, fail_reason="ACCOUNT_FROZEN",
             notify=False)
    runner = live_app.test_cli_runner()
    first = runner.invoke(args=["distribution", "transfers", "--older-than", "0"])
    assert first.exit_code == 0 and f"withdrawal {withdrawal.id}: failed" in first.output
    again = runner.invoke(args=["distribution", "transfers", "--older-than", "0"])
    assert "checked 0 paying withdrawal(s)" in again.output
    failed = fresh(Withdrawal, withdrawal.id)
    assert failed.status == "failed" and failed.fail_reason == "ACCOUNT_FROZEN"
    assert account(_User(failed.user_id))["available"] == 5_000 and account(_User(failed.user_id))["withdrawing"] == 0
    assert problems() == []
