"""Twenty copies of one paid notification arriving at once change the payment exactly once.

Runs on both backends: on MariaDB the row lock serialises them; on SQLite (no row locks)
the compare-and-set status update and the unique transaction_id do.
"""

from __future__ import annotations

import threading

from app.payments.models import Payment
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

REPLAYS = 20


def test_twenty_concurrent_replays_of_one_notification_change_state_once(live_app, live_server):
    # given a payment WeChat considers paid, and its notification
    published.clear()
    payment = start_payment(shopper(), 1990).payment
    simulate(live_server, "pay/success", out_trade_no=payment.out_trade_no, notify=False)
    body, headers = notification(paid_resource(payment))
    # when twenty copies of it arrive at the same moment
    barrier = threading.Barrier(REPLAYS)
    statuses: list[int] = []

    def replay() -> None:
        barrier.wait()
        statuses.append(post_notification(live_server, body, headers).status_code)

    threads = [threading.Thread(target=replay) for _ in range(REPLAYS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    # then every copy is acknowledged as WeChat expects
    assert statuses == [204] * REPLAYS
    # and the payment changed once: one paid_at, one event
    paid = fresh(Payment, payment.id)
    assert paid.status == PaymentStatus.PAID and paid.paid_at is not None
    assert published == [("payment.succeeded", payment.id)]
