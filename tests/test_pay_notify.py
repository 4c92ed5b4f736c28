"""The paid notification, as the sandbox sends it over HTTP, marks the payment paid once."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.payments.models import Payment
from app.payments.services import apply_payment_notification
from app.payments.states import PaymentStatus
from tests.pay_helpers import (
    fresh,
    notification,
    paid_resource,
    post_notification,
    published,
    shopper,
    simulate,
    start_payment,
)


@pytest.fixture(autouse=True)
def _no_events():
    published.clear()


def test_simulated_payment_marks_the_payment_paid_and_publishes_after_commit(live_app, live_server):
    # given an unpaid payment
    payment = start_payment(shopper(), 1990).payment
    # when WeChat notifies that the shopper paid
    result = simulate(live_server, "pay/success", out_trade_no=payment.out_trade_no)
    # then the app answered WeChat's success format: 204, no body
    assert (result["app_status"], result["app_body"]) == (204, "")
    # and the payment is paid with WeChat's transaction id, time of payment and of notification
    paid = fresh(Payment, payment.id)
    assert paid.status == PaymentStatus.PAID and paid.transaction_id == result["transaction_id"]
    assert paid.paid_at is not None and paid.notified_at is not None and paid.trade_state == "SUCCESS"
    # and payment.succeeded reached its subscribers once (they run after the commit)
    assert published == [("payment.succeeded", payment.id)]


def test_payment_succeeded_is_published_only_when_the_change_commits(live_app, live_server):
    # given a payment WeChat considers paid
    payment = start_payment(shopper()).payment
    simulate(live_server, "pay/success", out_trade_no=payment.out_trade_no, notify=False)
    # when its notification is applied but the transaction rolls back
    assert apply_payment_notification(paid_resource(payment)) is True
    db.session.rollback()
    # then nobody heard of it, and the payment is still unpaid
    assert published == [] and fresh(Payment, payment.id).status == PaymentStatus.UNPAID
    # when it is applied and committed, subscribers hear of it once
    assert apply_payment_notification(paid_resource(payment)) is True
    assert published == []
    db.session.commit()
    assert published == [("payment.succeeded", payment.id)]


def test_a_replayed_notification_is_acknowledged_and_changes_nothing(live_app, live_server):
    payment = start_payment(shopper()).payment
    simulate(live_server, "pay/success", out_trade_no=payment.out_trade_no)
    first = fresh(Payment, payment.id)
    # when WeChat sends the same notification again (its retries do)
    again = simulate(live_server, "pay/success", out_trade_no=payment.out_trade_no)
    # then the app says success again, and nothing changed
    assert again["app_status"] == 204
    replayed = fresh(Payment, payment.id)
    assert (replayed.paid_at, replayed.notified_at, replayed.updated_at) == \
        (first.paid_at, first.notified_at, first.updated_at)
    assert published == [("payment.succeeded", payment.id)]


def test_the_same_notification_bytes_twice_change_state_once(live_app, live_server):
    payment = start_payment(shopper()).payment
    simulate(live_server, "pay/success", out_trade_no=payment.out_trade_no, notify=False)
    body, headers = notification(paid_resource(payment))
    assert post_notification(live_server, body, headers).status_code == 204
    assert post_notification(live_server, body, headers).status_code == 204
    assert published == [("payment.succeeded", payment.id)]


def test_a_notification_for_a_payment_we_do_not_know_is_refused_with_404(live_app, live_server, caplog):
    payment = start_payment(shopper()).payment
    simulate(live_server, "pay/success", out_trade_no=payment.out_trade_no, notify=False)
    body, headers = notification(paid_resource(payment, out_trade_no="P000000000000unknown"))
    answer = post_notification(live_server, body, headers)
    assert answer.status_code == 404 and answer.json()["code"] == "FAIL"
    assert fresh(Payment, payment.id).status == PaymentStatus.UNPAID
    assert "payment_not_found" in caplog.text


def test_a_conflicting_transaction_id_for_a_paid_payment_is_refused(live_app, live_server, caplog):
    payment = start_payment(shopper()).payment
    simulate(live_server, "pay/success", out_trade_no=payment.out_trade_no)
    body, headers = notification(paid_resource(payment, transaction_id="4200000000000000000000000999"))
    answer = post_notification(live_server, body, headers)
    assert answer.status_code == 409 and answer.json() == {"code": "FAIL", "message": "state_conflict"}
    assert fresh(Payment, payment.id).transaction_id != "4200000000000000000000000999"
    assert published == [("payment.succeeded", payment.id)]
