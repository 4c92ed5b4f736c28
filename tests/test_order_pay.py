"""Paying an order with the store balance or cash on delivery, and every refusal to pay."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.accounts.services import token_for
from app.core.models import utcnow
from app.extensions import db
from app.members.models import Wallet
from tests import factories
from tests.order_pay_helpers import (
    actions,
    allow,
    fresh_order,
    logged_in,
    order_pay_entries,
    paid_events,
    pay,
    pending_order,
    sales_of,
    sku,
    top_up,
)


@pytest.fixture(autouse=True)
def _no_events():
    paid_events.clear()


def test_paying_with_the_balance_debits_it_once_and_pays_the_order(client):
    # given a shopper with ¥50 and a pending order of 2 × ¥19.90
    user, headers = logged_in(client)
    top_up(user, 5000)
    order = pending_order(user, 2)
    # when they pay it from their balance
    response = pay(client, headers, order.id, "balance")
    # then the order is paid in full, awaiting shipment
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["request_payment"] is None
    assert body["order"] | {"paid_at": None} == {"id": order.id, "order_no": order.order_no, "status": "paid",
                                                  "pay_method": "balance", "payable_fen": 3980,
                                                  "paid_fen": 3980, "paid_at": None}
    assert body["order"]["paid_at"].endswith("+08:00")
    # and the balance lost exactly that, with one ledger row naming the order
    assert db.session.get(Wallet, user.id).balance_fen == 1020
    assert order_pay_entries(user) == [(-3980, order.order_no)]
    # and the product sold 2 more, the log says who paid, and order.paid was announced
    paid = fresh_order(order.id)
    assert sales_of(paid) == 2 and paid.paid_at is not None
    assert actions(order.id) == [("shopper", "paid", "pending_payment", "paid")]
    assert paid_events == [order.id]


def test_paying_twice_with_the_balance_is_refused_the_second_time(client):
    user, headers = logged_in(client)
    top_up(user, 10_000)
    order = pending_order(user, 1)
    assert pay(client, headers, order.id, "balance").status_code == 200
    again = pay(client, headers, order.id, "balance")
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "order_already_paid"
    assert db.session.get(Wallet, user.id).balance_fen == 10_000 - 1990
    assert len(order_pay_entries(user)) == 1 and paid_events == [order.id]


def test_a_balance_too_low_is_refused_and_changes_nothing(client):
    # given ¥30 and an order of ¥39.80
    user, headers = logged_in(client)
    top_up(user, 3000)
    order = pending_order(user, 2)
    # when they try to pay it from the balance
    response = pay(client, headers, order.id, "balance")
    # then it is refused, saying how much could be taken
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["code"] == "balance_not_enough" and "¥30.00" in error["fields"]["amount"]
    # and nothing changed: order, balance, ledger, sales, log, events
    unpaid = fresh_order(order.id)
    assert (unpaid.status, unpaid.pay_method, unpaid.paid_fen, unpaid.paid_at) == ("pending_payment", None, 0, None)
    assert db.session.get(Wallet, user.id).balance_fen == 3000 and order_pay_entries(user) == []
    assert sales_of(unpaid) == 0 and actions(order.id) == [] and paid_events == []


def test_cash_on_delivery_confirms_the_order_with_nothing_paid_yet(client):
    allow(pay_cod=True)
    user, headers = logged_in(client)
    order = pending_order(user, 3)
    response = pay(client, headers, order.id, "cod")
    assert response.status_code == 200
    assert {key: response.get_json()["order"][key] for key in ("status", "pay_method", "paid_fen")} == \
        {"status": "paid", "pay_method": "cod", "paid_fen": 0}
    confirmed = fresh_order(order.id)
    assert sales_of(confirmed) == 3
    assert actions(order.id) == [("shopper", "cod_confirmed", "pending_payment", "paid")]
    assert paid_events == [order.id] and order_pay_entries(user) == []


@pytest.mark.parametrize("method, setting", [("wechat", "pay_wechat"), ("balance", "pay_balance"),
                                             ("cod", "pay_cod")])
def test_a_payment_method_the_shop_turned_off_is_refused(client, method, setting):
    allow(pay_wechat=True, pay_balance=True, pay_cod=True)
    allow(**{setting: False})
    user, headers = logged_in(client)
    top_up(user, 10_000)
    order = pending_order(user, 1)
    response = pay(client, headers, order.id, method)
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "pay_method_disabled"
    assert fresh_order(order.id).status == "pending_payment" and actions(order.id) == []


def test_cash_on_delivery_is_off_unless_the_shop_turns_it_on(client):
    user, headers = logged_in(client)
    order = pending_order(user, 1)
    response = pay(client, headers, order.id, "cod")
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "pay_method_disabled"


def test_another_shoppers_order_is_not_found(client):
    owner, _owner_headers = logged_in(client, "alice")
    _other, headers = logged_in(client, "bob")
    top_up(_other, 10_000)
    order = pending_order(owner, 1)
    for response in (pay(client, headers, order.id, "balance"),
                     client.get(f"/api/v1/orders/{order.id}/pay-status", headers=headers)):
        assert response.status_code == 404 and response.get_json()["error"]["code"] == "order_not_found"
    assert fresh_order(order.id).status == "pending_payment"
    assert pay(client, headers, 999_999, "balance").status_code == 404


@pytest.mark.parametrize("body", [{"method": "alipay"}, {}, {"method": "balance", "extra": 1}])
def test_a_bad_method_is_a_field_error(client, body):
    user, headers = logged_in(client)
    order = pending_order(user, 1)
    response = client.post(f"/api/v1/orders/{order.id}/pay", json=body, headers=headers)
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "validation_failed" and response.get_json()["error"]["fields"]


def test_paying_needs_a_login(client):
    order = pending_order(factories.shopper(), 1)
    response = client.post(f"/api/v1/orders/{order.id}/pay", json={"method": "balance"})
    assert response.status_code == 401


@pytest.mark.parametrize("status, code", [("paid", "order_already_paid"), ("shipped", "order_already_paid"),
                                          ("closed", "order_closed"), ("cancelled", "order_closed")])
def test_an_order_that_is_not_pending_cannot_be_paid(client, status, code):
    user, headers = logged_in(client)
    top_up(user, 10_000)
    order = pending_order(user, 1, status=status)
    response = pay(client, headers, order.id, "balance")
    assert response.status_code == 409 and response.get_json()["error"]["code"] == code
    assert db.session.get(Wallet, user.id).balance_fen == 10_000 and actions(order.id) == []


def test_an_order_past_its_pay_deadline_cannot_be_paid(client):
    user, headers = logged_in(client)
    top_up(user, 10_000)
    order = pending_order(user, 1)
    order.pay_deadline = utcnow() - timedelta(seconds=1)
    db.session.commit()
    response = pay(client, headers, order.id, "balance")
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "order_pay_expired"
    assert db.session.get(Wallet, user.id).balance_fen == 10_000


def test_wechat_pay_needs_a_mini_program_login(client):
    user = factories.shopper()  # e.g. arrived through the official account only: no mini-program openid
    order = pending_order(user, 1)
    response = pay(client, {"Authorization": f"Bearer {token_for(user)}"}, order.id, "wechat")
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "wechat_login_required"
    assert fresh_order(order.id).payment_id is None


def test_a_free_order_is_paid_without_touching_the_balance(client):
    user, headers = logged_in(client)
    order = factories.order(user, [(sku(1990), 1)], discount_fen=1990)
    response = pay(client, headers, order.id, "balance")
    assert response.status_code == 200 and response.get_json()["order"]["status"] == "paid"
    assert order_pay_entries(user) == [] and paid_events == [order.id]
