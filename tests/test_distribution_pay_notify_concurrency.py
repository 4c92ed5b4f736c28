"""The same WeChat pay notification of an order, delivered twenty times at once, accrues the
order's commission once: one line per item and level, one pending entry per paying line.
(On MariaDB the row locks serialise the copies; on SQLite the single writer does.)"""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from app.distribution.commission_models import CommissionEntry, CommissionLine
from app.extensions import db
from app.payments.models import Payment
from tests.distribution_helpers import account, bind, configure, problems, referral_chain
from tests.order_pay_helpers import fresh_order, logged_in, pay, pending_order
from tests.pay_helpers import fresh, notification, paid_resource, post_notification, simulate

COPIES = 20


def test_twenty_concurrent_copies_of_the_pay_notification_accrue_once(live_app, live_server):
    # given a shopper two agents up the tree, with an order of 2 × ¥19.90 waiting for WeChat Pay
    configure(levels=2, rate1_bp=1000, rate2_bp=500)
    upper, lower = referral_chain("通知上级", "通知下级")
    client = live_app.test_client()
    user, headers = logged_in(client)
    bind(user, lower)
    order = pending_order(user, 2)
    assert pay(client, headers, order.id, "wechat").status_code == 200
    payment = fresh(Payment, fresh_order(order.id).payment_id)
    simulate(live_server, "pay/success", out_trade_no=payment.out_trade_no, notify=False)
    body, notify_headers = notification(paid_resource(payment))
    # when twenty copies of its notification arrive at the same moment
    barrier = threading.Barrier(COPIES)
    statuses: list[int] = []

    def deliver() -> None:
        barrier.wait()
        statuses.append(post_notification(live_server, body, notify_headers).status_code)

    threads = [threading.Thread(target=deliver) for _ in range(COPIES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    # then every copy is acknowledged, and the commission was accrued once
    assert statuses == [204] * COPIES
    db.session.commit()  # a new transaction: see what the server committed
    lines = db.session.scalar(select(func.count()).select_from(CommissionLine)
                              .where(CommissionLine.order_id == order.id))
    entries = db.session.scalar(select(func.count()).select_from(CommissionEntry)
                                .where(CommissionEntry.kind == "accrue", CommissionEntry.ref == str(order.id)))
    assert (lines, entries) == (3, 2)  # one item × three positions; levels 1 and 2 pay
    assert account(lower)["pending"] == 398 and account(upper)["pending"] == 199
    assert problems() == []
