"""Paying an order with WeChat Pay through the sandbox: prompt, notification, query, refusals."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.members.models import Wallet
from app.payments.models import Payment, Refund
from app.payments.states import PaymentStatus
from tests.order_pay_helpers import (
    actions,
    fresh_order,
    logged_in,
    order_pay_entries,
    paid_events,
    pay,
    pending_order,
    sales_of,
    top_up,
)
from tests.pay_helpers import fresh, simulate


@pytest.fixture(autouse=True)
def _no_events():
    paid_events.clear()


@pytest.fixture
def client(live_app):
    return live_app.test_client()


def _prompt(client, headers, order) -> Payment:
    response = pay(client, headers, order.id, "wechat")
    assert response.status_code == 200, response.get_json()
    return fresh(Payment, fresh_order(order.id).payment_id)


def test_a_wechat_payment_pays_the_order_when_wechat_notifies(client, live_server):
    # given a pending order of 2 × ¥19.90
    user, headers = logged_in(client)
    order = pending_order(user, 2)
    # when the shopper asks to pay with WeChat
    response = pay(client, headers, order.id, "wechat")
    # then they get what wx.requestPayment needs, and the order waits for WeChat
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert set(body["request_payment"]) == {"timeStamp", "nonceStr", "package", "signType", "paySign"}
    assert body["request_payment"]["package"].startswith("prepay_id=")
    assert (body["order"]["status"], body["order"]["pay_method"]) == ("pending_payment", "wechat")
    payment = fresh(Payment, fresh_order(order.id).payment_id)
    assert (payment.amount_fen, payment.purpose, payment.subject_id, payment.payer_openid) == \
        (3980, "order", order.id, user.mp_openid)
    assert payment.description.startswith("分销商城-") and order.items[0].title in payment.description
    # when the shopper pays and WeChat notifies us
    assert simulate(live_server, "pay/success", out_trade_no=payment.out_trade_no)["app_status"] == 204
    # then the order is paid with that payment, sales grew, the log says the system saw it, order.paid went out
    paid = fresh_order(order.id)
    assert (paid.status, paid.pay_method, paid.paid_fen, paid.payment_id) == ("paid", "wechat", 3980, payment.id)
    assert paid.paid_at is not None and paid.exception == ""
    assert sales_of(paid) == 2
    assert actions(order.id) == [("system", "paid", "pending_payment", "paid")]
    assert paid_events == [order.id]


def test_a_replayed_notification_changes_nothing(client, live_server):
    user, headers = logged_in(client)
    order = pending_order(user, 2)
    payment = _prompt(client, headers, order)
    simulate(live_server, "pay/success", out_trade_no=payment.out_trade_no)
    first = fresh_order(order.id)
    # when WeChat sends the notification again
    assert simulate(live_server, "pay/success", out_trade_no=payment.out_trade_no)["app_status"] == 204
    # then the order, its sales, log and events are as they were, and nothing was refunded
    again = fresh_order(order.id)
    assert (again.status, again.paid_at, again.updated_at) == (first.status, first.paid_at, first.updated_at)
    assert sales_of(again) == 2 and len(actions(order.id)) == 1 and paid_events == [order.id]
    assert db.session.query(Refund).count() == 0


def test_the_settling_job_run_twice_pays_once(client, live_server):
    from app.orders.subscribers import order_payment_succeeded

    user, headers = logged_in(client)
    order = pending_order(user, 1)
    payment = _prompt(client, headers, order)
    simulate(live_server, "pay/success", out_trade_no=payment.out_trade_no)
    db.session.rollback()  # as a job does: a fresh transaction
    assert order_payment_succeeded(payment.id) == "replay"
    db.session.commit()
    assert sales_of(fresh_order(order.id)) == 1 and paid_events == [order.id]


def test_asking_twice_reuses_the_same_payment(client, live_server):
    user, headers = logged_in(client)
    order = pending_order(user, 1)
    first = pay(client, headers, order.id, "wechat").get_json()
    second = pay(client, headers, order.id, "wechat").get_json()
    assert first["request_payment"]["package"] == second["request_payment"]["package"]
    assert db.session.query(Payment).count() == 1
    assert live_server.sandbox.calls["pay.jsapi"] == 1


def test_a_payment_for_another_amount_does_not_pay_the_order_and_is_refunded(client, live_server):
    # given a WeChat payment of ¥19.90, then the order's payable changed behind it (tampered)
    user, headers = logged_in(client)
    order = pending_order(user, 1)
    payment = _prompt(client, headers, order)
    tampered = fresh_order(order.id)
    tampered.freight_fen += 100
    tampered.payable_fen += 100
    db.session.commit()
    # when WeChat says the ¥19.90 was paid
    assert simulate(live_server, "pay/success", out_trade_no=payment.out_trade_no)["app_status"] == 204
    # then the order is not paid but flagged, and the whole payment is on its way back
    flagged = fresh_order(order.id)
    assert (flagged.status, flagged.paid_fen, flagged.exception) == ("pending_payment", 0, "amount_mismatch")
    refund = db.session.query(Refund).filter_by(payment_id=payment.id).one()
    assert refund.amount_fen == 1990 and refund.status == "processing"
    assert live_server.sandbox.records["pay_refunds"][refund.out_refund_no]["refund"] == 1990
    assert actions(order.id) == [("system", "auto_refund", "", "")]
    assert sales_of(flagged) == 0 and paid_events == []
    # and a replay refunds nothing more
    simulate(live_server, "pay/success", out_trade_no=payment.out_trade_no)
    assert db.session.query(Refund).count() == 1 and len(actions(order.id)) == 1
    # and the shopper can still pay the right amount another way
    top_up(user, 5000)
    response = pay(client, headers, order.id, "balance")
    assert response.status_code == 200 and response.get_json()["order"]["paid_fen"] == 2090
    assert db.session.query(Refund).count() == 1 and paid_events == [order.id]


def test_pay_status_asks_wechat_when_the_notification_is_late(client, live_server):
    user, headers = logged_in(client)
    order = pending_order(user, 1)
    payment = _prompt(client, headers, order)
    # given the shopper paid but WeChat's notification has not arrived
    simulate(live_server, "pay/success", out_trade_no=payment.out_trade_no, notify=False)
    # when the mini-program asks after wx.requestPayment returns
    response = client.get(f"/api/v1/orders/{order.id}/pay-status", headers=headers)
    # then WeChat was asked once and the order is paid
    assert response.status_code == 200
    assert (response.get_json()["order"]["status"], response.get_json()["order"]["paid_fen"]) == ("paid", 1990)
    assert live_server.sandbox.calls["pay.query"] == 1
    assert fresh(Payment, payment.id).status == PaymentStatus.PAID
    # and the notification arriving afterwards changes nothing
    simulate(live_server, "pay/success", out_trade_no=payment.out_trade_no)
    assert sales_of(fresh_order(order.id)) == 1 and paid_events == [order.id] and len(actions(order.id)) == 1


def test_pay_status_of_an_unpaid_order_stays_pending(client, live_server):
    user, headers = logged_in(client)
    order = pending_order(user, 1)
    _prompt(client, headers, order)
    response = client.get(f"/api/v1/orders/{order.id}/pay-status", headers=headers)
    assert response.status_code == 200 and response.get_json()["order"]["status"] == "pending_payment"
    assert live_server.sandbox.calls["pay.query"] == 1
    # an order without a WeChat payment is answered without asking WeChat
    other = pending_order(user, 1)
    response = client.get(f"/api/v1/orders/{other.id}/pay-status", headers=headers)
    assert response.get_json()["order"]["status"] == "pending_payment"
    assert live_server.sandbox.calls["pay.query"] == 1


def test_switching_to_the_balance_closes_the_wechat_payment(client, live_server):
    user, headers = logged_in(client)
    top_up(user, 5000)
    order = pending_order(user, 1)
    payment = _prompt(client, headers, order)
    response = pay(client, headers, order.id, "balance")
    assert response.status_code == 200 and response.get_json()["order"]["pay_method"] == "balance"
    assert fresh(Payment, payment.id).status == PaymentStatus.CLOSED
    assert live_server.sandbox.records["pay_transactions"][payment.out_trade_no]["trade_state"] == "CLOSED"
    assert order_pay_entries(user) == [(-1990, order.order_no)] and paid_events == [order.id]


def test_a_wechat_payment_made_before_switching_wins_and_the_balance_is_untouched(client, live_server):
    # given the shopper paid with WeChat but no notification came yet
    user, headers = logged_in(client)
    top_up(user, 5000)
    order = pending_order(user, 1)
    payment = _prompt(client, headers, order)
    simulate(live_server, "pay/success", out_trade_no=payment.out_trade_no, notify=False)
    # when they then try to pay with the balance
    response = pay(client, headers, order.id, "balance")
    # then WeChat's payment pays the order and the balance is not debited
    assert response.status_code == 200
    assert (response.get_json()["order"]["status"], response.get_json()["order"]["pay_method"]) == ("paid", "wechat")
    assert db.session.get(Wallet, user.id).balance_fen == 5000 and order_pay_entries(user) == []
    assert paid_events == [order.id] and db.session.query(Refund).count() == 0
