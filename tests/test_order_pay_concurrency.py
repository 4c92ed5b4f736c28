"""Two requests paying one order at the same moment pay it once and debit the balance once.

Runs on both backends: on MariaDB the order's row lock serialises them; on SQLite (no row
locks) the compare-and-set on the order's status and the ledger's unique (kind, ref) do.
"""

from __future__ import annotations

import threading

import requests

from app.extensions import db
from app.members.models import Wallet
from tests.order_pay_helpers import (
    allow,
    fresh_order,
    logged_in,
    order_pay_entries,
    paid_events,
    pending_order,
    sales_of,
    top_up,
)

REQUESTS = 4


def _at_once(url: str, headers: dict[str, str], bodies: list[dict]) -> list[tuple[int, str]]:
    barrier = threading.Barrier(len(bodies))
    answers: list[tuple[int, str]] = []

    def send(body: dict) -> None:
        barrier.wait()
        answer = requests.post(url, json=body, headers=headers, timeout=60)
        answers.append((answer.status_code, answer.json().get("error", {}).get("code", "")))

    threads = [threading.Thread(target=send, args=(body,)) for body in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    return sorted(answers)


def test_concurrent_balance_payments_pay_once_and_debit_once(live_app, live_server):
    # given a shopper with ¥100 and an order of ¥39.80
    paid_events.clear()
    user, headers = logged_in(live_app.test_client())
    top_up(user, 10_000)
    order = pending_order(user, 2)
    # when several requests pay it with the balance at the same moment
    answers = _at_once(f"{live_server.url}/api/v1/orders/{order.id}/pay", headers,
                       [{"method": "balance"}] * REQUESTS)
    # then one succeeds and the others are told it is already paid
    assert answers == [(200, "")] + [(409, "order_already_paid")] * (REQUESTS - 1)
    # and the balance was debited once, the sales counted once, order.paid announced once
    db.session.rollback()
    assert db.session.get(Wallet, user.id).balance_fen == 10_000 - 3980
    assert order_pay_entries(user) == [(-3980, order.order_no)]
    paid = fresh_order(order.id)
    assert (paid.status, paid.paid_fen) == ("paid", 3980) and sales_of(paid) == 2
    assert paid_events == [order.id]


def test_balance_and_cash_on_delivery_at_once_end_in_one_of_them(live_app, live_server):
    allow(pay_cod=True)
    paid_events.clear()
    user, headers = logged_in(live_app.test_client())
    top_up(user, 10_000)
    order = pending_order(user, 1)
    answers = _at_once(f"{live_server.url}/api/v1/orders/{order.id}/pay", headers,
                       [{"method": "balance"}, {"method": "cod"}])
    assert answers == [(200, ""), (409, "order_already_paid")]
    paid = fresh_order(order.id)
    debited = 10_000 - db.session.get(Wallet, user.id).balance_fen
    assert (paid.pay_method, debited) in {("balance", 1990), ("cod", 0)}
    assert len(order_pay_entries(user)) == (1 if paid.pay_method == "balance" else 0)
    assert sales_of(paid) == 1 and paid_events == [order.id]
