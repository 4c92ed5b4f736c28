"""When a notification never comes, the reconcile job asks WeChat; closing stops a payment."""

from __future__ import annotations

import pytest
import requests

from app.core.jobs import enqueue_now
from app.extensions import db
from app.payments.errors import PaymentError
from app.payments.jobs import sweep_stale_payments
from app.payments.models import Payment
from app.payments.services import close_payment
from app.payments.states import PaymentStatus
from app.wechat import pay
from tests.pay_helpers import fresh, published, shopper, simulate, start_payment


@pytest.fixture(autouse=True)
def _no_events():
    published.clear()


def test_reconcile_marks_paid_a_payment_whose_notification_never_came(live_app, live_server):
    # given one payment paid at WeChat whose notification was lost, and one the shopper abandoned
    user = shopper()
    lost = start_payment(user, 1990).payment
    abandoned = start_payment(user, 990).payment
    simulate(live_server, "pay/success", out_trade_no=lost.out_trade_no, notify=False)
    # when the sweep runs (as RQ cron would enqueue it)
    enqueue_now(sweep_stale_payments, 0)
    # then the lost one is paid (with no notification time) and announced once
    paid = fresh(Payment, lost.id)
    assert paid.status == PaymentStatus.PAID and paid.paid_at is not None and paid.notified_at is None
    assert published == [("payment.succeeded", lost.id)]
    # and the abandoned one is left unpaid, with WeChat's state recorded
    left = fresh(Payment, abandoned.id)
    assert (left.status, left.trade_state) == (PaymentStatus.UNPAID, "NOTPAY")
    assert live_server.sandbox.calls["pay.query"] == 2


def test_reconcile_leaves_recent_payments_to_their_notification(live_app, live_server):
    start_payment(shopper())
    enqueue_now(sweep_stale_payments)  # default: WECHAT_PAY_RECONCILE_MINUTES = 5
    assert live_server.sandbox.calls["pay.query"] == 0


def test_reconcile_from_the_command_line(live_app, live_server):
    payment = start_payment(shopper()).payment
    simulate(live_server, "pay/success", out_trade_no=payment.out_trade_no, notify=False)
    result = live_app.test_cli_runner().invoke(args=["payments", "reconcile", "--older-than", "0"])
    assert result.exit_code == 0, result.output
    assert f"payment {payment.id}: paid" in result.output
    assert fresh(Payment, payment.id).status == PaymentStatus.PAID


def test_reconcile_records_an_order_wechat_closed(live_app, live_server):
    payment = start_payment(shopper()).payment
    pay.close_transaction(payment.out_trade_no)  # e.g. its time_expire passed at WeChat
    enqueue_now(sweep_stale_payments, 0)
    closed = fresh(Payment, payment.id)
    assert closed.status == PaymentStatus.CLOSED and closed.open_subject is None
    assert published == [("payment.closed", payment.id)]


def test_close_stops_an_unpaid_payment_at_wechat_and_here(live_app, live_server):
    payment = start_payment(shopper()).payment
    closed = close_payment(payment.id)
    db.session.commit()
    assert closed.status == PaymentStatus.CLOSED and closed.closed_at is not None
    assert live_server.sandbox.records["pay_transactions"][payment.out_trade_no]["trade_state"] == "CLOSED"
    # and the shopper can no longer pay it
    attempt = requests.post(f"{live_server.url}/sandbox/simulate/pay/success",
                            json={"out_trade_no": payment.out_trade_no}, timeout=10)
    assert attempt.status_code == 409
    assert published == [("payment.closed", payment.id)]


def test_closing_a_payment_the_shopper_just_paid_records_it_paid(live_app, live_server):
    payment = start_payment(shopper()).payment
    simulate(live_server, "pay/success", out_trade_no=payment.out_trade_no, notify=False)
    result = close_payment(payment.id)
    db.session.commit()
    assert result.status == PaymentStatus.PAID
    assert fresh(Payment, payment.id).status == PaymentStatus.PAID
    assert published == [("payment.succeeded", payment.id)]


def test_closing_twice_is_harmless_and_closing_an_unknown_payment_is_refused(live_app, live_server):
    payment = start_payment(shopper()).payment
    close_payment(payment.id)
    assert close_payment(payment.id).status == PaymentStatus.CLOSED
    assert live_server.sandbox.calls["pay.close"] == 1
    with pytest.raises(PaymentError):
        close_payment(999_999)
