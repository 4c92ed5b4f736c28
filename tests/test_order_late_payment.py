"""WeChat money that arrives for an order that can no longer take it goes back in full."""

from __future__ import annotations

import threading

import pytest

from app.catalog import stock
from app.core.models import utcnow
from app.extensions import db
from app.orders.models import Order
from app.orders.oplog import SYSTEM, move_order
from app.orders.payment import mark_order_paid, settle_wechat_payment
from app.payments.models import Payment, Refund
from app.payments.records import locked
from app.payments.services import query_payment
from tests.order_pay_helpers import (
    actions,
    fresh_order,
    logged_in,
    paid_events,
    pay,
    pending_order,
    sales_of,
    stock_of,
)
from tests.pay_helpers import fresh, simulate


@pytest.fixture(autouse=True)
def _no_events():
    paid_events.clear()


@pytest.fixture
def client(live_app):
    return live_app.test_client()


def _end_unpaid(order_id: int, status: str = "closed") -> bool:
    """What the unpaid timeout (or a cancel) does: lock the order, compare-and-set, then the
    stock goes back."""
    order = locked(Order, id=order_id)
    if order.status != "pending_payment" or not move_order(order, status, SYSTEM, status,
                                                           close_reason="unpaid_timeout", closed_at=utcnow()):
        return False
    for item in order.items:
        stock.give_back(item.sku_id, item.quantity)
    return True


def _prompted_order(client, quantity: int = 2) -> tuple[Order, Payment]:
    user, headers = logged_in(client)
    order = pending_order(user, quantity)
    assert pay(client, headers, order.id, "wechat").status_code == 200
    return order, fresh(Payment, fresh_order(order.id).payment_id)


@pytest.mark.parametrize("ended", ["closed", "cancelled"])
def test_a_payment_after_the_order_closed_is_refunded_in_full(client, live_server, ended):
    # given an order of 2 units (stock 10 → 8) with a WeChat payment, then closed unpaid (stock back to 10)
    order, payment = _prompted_order(client, 2)
    assert stock_of(order) == 8
    assert _end_unpaid(order.id, ended)
    db.session.commit()
    assert stock_of(order) == 10
    # when the shopper's payment reaches WeChat anyway and WeChat notifies
    assert simulate(live_server, "pay/success", out_trade_no=payment.out_trade_no)["app_status"] == 204
    # then the order stays closed, flagged, and the whole payment is on its way back
    late = fresh_order(order.id)
    assert (late.status, late.exception, late.paid_fen, late.paid_at) == (ended, "paid_after_close", 0, None)
    refund = db.session.query(Refund).filter_by(payment_id=payment.id).one()
    assert refund.amount_fen == 3980 and refund.status == "processing"
    assert live_server.sandbox.records["pay_refunds"][refund.out_refund_no]["refund"] == 3980
    assert actions(order.id)[-1] == ("system", "auto_refund", "", "")
    # and the returned stock is not taken again, nor counted as sold
    assert stock_of(late) == 10 and sales_of(late) == 0 and paid_events == []
    # and WeChat's retry refunds nothing more
    simulate(live_server, "pay/success", out_trade_no=payment.out_trade_no)
    assert db.session.query(Refund).count() == 1 and fresh(Payment, payment.id).refund_held_fen == 3980


def test_the_settling_job_run_again_after_a_late_payment_refunds_once(client, live_server):
    order, payment = _prompted_order(client, 1)
    _end_unpaid(order.id)
    db.session.commit()
    simulate(live_server, "pay/success", out_trade_no=payment.out_trade_no)
    db.session.rollback()  # as a job does: a fresh transaction
    assert settle_wechat_payment(payment.id) == "refunded_before"
    db.session.commit()
    assert db.session.query(Refund).count() == 1 and len(actions(order.id)) == 2  # closed, auto_refund


def test_a_second_payment_for_an_order_paid_another_way_is_refunded(client, live_server):
    # given WeChat took the money while the order was paid another way (our record had not heard)
    order, payment = _prompted_order(client, 1)
    simulate(live_server, "pay/success", out_trade_no=payment.out_trade_no, notify=False)
    other_way = fresh_order(order.id)
    assert mark_order_paid(other_way, paid_fen=1990, method="balance", actor=SYSTEM)
    db.session.commit()
    paid_events.clear()
    # when WeChat's notification arrives
    simulate(live_server, "pay/success", out_trade_no=payment.out_trade_no)
    # then the order keeps its first payment and the WeChat money goes back
    kept = fresh_order(order.id)
    assert (kept.status, kept.pay_method, kept.exception) == ("paid", "balance", "duplicate_payment")
    assert db.session.query(Refund).filter_by(payment_id=payment.id).one().amount_fen == 1990
    assert sales_of(kept) == 1 and paid_events == []


def test_close_and_payment_racing_end_in_exactly_one_outcome(make_live_server):
    # given WeChat took the money (recorded, its job not run: queued jobs wait for a worker here)
    server = make_live_server(RQ_INLINE=False)
    with server.app.app_context():
        order, payment = _prompted_order(server.app.test_client(), 2)
        simulate(server, "pay/success", out_trade_no=payment.out_trade_no, notify=False)
        query_payment(payment.out_trade_no)
        db.session.commit()
        assert fresh(Payment, payment.id).status == "paid" and fresh_order(order.id).status == "pending_payment"
        # when the unpaid timeout fires at the same moment as the settling job
        outcomes = _race(server.app, lambda: _end_unpaid(order.id), lambda: settle_wechat_payment(payment.id))
        # then either the payment paid the order (nothing returned, nothing refunded) ...
        final = fresh_order(order.id)
        refunds = [row.amount_fen for row in db.session.query(Refund).filter_by(payment_id=payment.id)]
        if final.status == "paid":
            assert outcomes == [False, "paid"]
            assert (stock_of(final), sales_of(final), refunds) == (8, 2, [])
        # ... or the close won: stock back once, nothing sold, the whole payment refunded
        else:
            assert outcomes == [True, "paid_after_close"]
            assert (final.status, final.exception) == ("closed", "paid_after_close")
            assert (stock_of(final), sales_of(final), refunds) == (10, 0, [3980])


def _race(app, *works) -> list:
    """Run each piece of work in its own thread and transaction, all at once; their results."""
    barrier = threading.Barrier(len(works))
    results: list = [None] * len(works)

    def run(index: int) -> None:
        with app.app_context():
            barrier.wait()
            try:
                results[index] = works[index]()
                db.session.commit()
            except Exception as exc:  # the assertion on the results reports it
                db.session.rollback()
                results[index] = exc

    threads = [threading.Thread(target=run, args=(index,)) for index in range(len(works))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
