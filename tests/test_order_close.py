"""Closing unpaid orders: on timeout (sweep job, CLI) and on cancel, with the WeChat payment
closed first, the stock returned once, and a payment made meanwhile winning over the close."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.core.events import subscribe
from app.core.jobs import job
from app.core.models import utcnow
from app.extensions import db
from app.orders import oplog
from app.orders.closing import CloseOutcome, close_overdue_order, close_unpaid_order, sweep_unpaid_orders
from app.orders.models import Order, OrderLog
from app.payments.models import Payment
from app.payments.services import create_jsapi_payment
from app.payments.states import PaymentStatus
from tests.checkout_helpers import Shopper, error_code, goods, stock_of
from tests.pay_helpers import simulate

closed_events: list[int] = []


@subscribe("order.closed")
@job("default")
def record_order_closed(order_id: int) -> None:
    closed_events.append(order_id)


def _pending_order(shopper: Shopper, sku, quantity: int = 2, *, overdue: bool = False) -> Order:
    if not shopper.get("/addresses").get_json()["items"]:
        shopper.add_address()
    answer = shopper.place([(sku, quantity)])
    assert answer.status_code == 201, answer.get_json()
    order = db.session.get(Order, answer.get_json()["id"])
    if overdue:
        order.pay_deadline = utcnow() - timedelta(seconds=1)
        db.session.commit()
    return order


def _fresh(order_id: int) -> Order:
    db.session.rollback()
    return db.session.get(Order, order_id)


def test_the_sweep_closes_overdue_orders_returns_stock_and_announces_it(client):
    closed_events.clear()
    shopper = Shopper(client)
    sku = goods(stock=10).skus[0]
    overdue = _pending_order(shopper, sku, 3, overdue=True)
    current = _pending_order(shopper, sku, 2)
    assert stock_of(sku) == 5
    # when the scheduler's sweep runs (its close jobs run after its commit)
    assert sweep_unpaid_orders() == 1
    db.session.commit()
    # then the overdue order is closed as unpaid, its stock back; the current one is untouched
    closed = _fresh(overdue.id)
    assert (closed.status, closed.close_reason) == ("closed", "unpaid_timeout") and closed.closed_at is not None
    assert _fresh(current.id).status == "pending_payment"
    assert stock_of(sku) == 8
    assert closed_events == [overdue.id]
    log = db.session.scalars(select(OrderLog).where(OrderLog.order_id == overdue.id).order_by(OrderLog.id)).all()
    assert [(entry.action, entry.actor_type) for entry in log] == [("created", "shopper"), ("closed", "system")]


def test_closing_twice_returns_the_stock_once(client):
    closed_events.clear()
    shopper = Shopper(client)
    sku = goods(stock=10).skus[0]
    order = _pending_order(shopper, sku, 4, overdue=True)
    assert close_overdue_order(order.id) == "closed"
    db.session.commit()
    assert close_overdue_order(order.id) == "already_ended"
    db.session.commit()
    assert stock_of(sku) == 10 and closed_events == [order.id]


def test_an_order_before_its_deadline_is_not_timed_out(client):
    shopper = Shopper(client)
    sku = goods(stock=10).skus[0]
    order = _pending_order(shopper, sku)
    assert close_overdue_order(order.id) == "not_due"
    db.session.commit()
    assert _fresh(order.id).status == "pending_payment" and stock_of(sku) == 8


def test_a_paid_order_is_never_closed_by_the_timeout(client):
    shopper = Shopper(client)
    sku = goods(stock=10).skus[0]
    order = _pending_order(shopper, sku, overdue=True)
    order.status = "paid"
    db.session.commit()
    assert close_unpaid_order(order.id, oplog.SYSTEM, "unpaid_timeout") == CloseOutcome.PAID
    db.session.commit()
    assert _fresh(order.id).status == "paid" and stock_of(sku) == 8


def test_the_cli_closes_overdue_orders(client, runner):
    shopper = Shopper(client)
    sku = goods(stock=10).skus[0]
    order = _pending_order(shopper, sku, overdue=True)
    result = runner.invoke(args=["orders", "close-unpaid"])
    assert result.exit_code == 0, result.output
    assert f"order {order.id}: closed" in result.output
    assert _fresh(order.id).status == "closed" and stock_of(sku) == 10


def _with_payment(order: Order, openid: str) -> Payment:
    prompt = create_jsapi_payment(user_id=order.user_id, openid=openid, amount_fen=order.payable_fen,
                                  description="测试订单", purpose="order", subject_id=order.id)
    order.payment_id = prompt.payment.id
    db.session.commit()
    return prompt.payment


@pytest.fixture
def shopper_live(live_app):
    return Shopper(live_app.test_client())


def test_cancel_closes_the_wechat_payment_first(live_app, shopper_live):
    sku = goods(stock=10).skus[0]
    order = _pending_order(shopper_live, sku)
    payment = _with_payment(order, f"dev_{shopper_live.name}")
    answer = shopper_live.post(f"/orders/{order.id}/cancel", {"reason": "拍错了"})
    assert answer.status_code == 200, answer.get_json()
    assert _fresh(order.id).status == "cancelled" and stock_of(sku) == 10
    assert db.session.get(Payment, payment.id).status == PaymentStatus.CLOSED


def test_a_cancel_racing_the_payment_loses_and_changes_nothing(live_app, live_server, shopper_live):
    closed_events.clear()
    sku = goods(stock=10).skus[0]
    order = _pending_order(shopper_live, sku)
    payment = _with_payment(order, f"dev_{shopper_live.name}")
    # given the shopper paid at WeChat, and the notification has not arrived yet
    simulate(live_server, "pay/success", out_trade_no=payment.out_trade_no, notify=False)
    # when they cancel
    answer = shopper_live.post(f"/orders/{order.id}/cancel", {})
    # then the cancel is refused, the payment's own subscriber marks the order paid, the stock stays taken
    assert answer.status_code == 409 and error_code(answer) == "order_paid"
    assert _fresh(order.id).status == "paid" and stock_of(sku) == 8
    assert db.session.get(Payment, payment.id).status == PaymentStatus.PAID
    assert closed_events == []


def test_the_timeout_leaves_an_order_paid_meanwhile_alone(live_app, live_server, shopper_live):
    sku = goods(stock=10).skus[0]
    order = _pending_order(shopper_live, sku, overdue=True)
    payment = _with_payment(order, f"dev_{shopper_live.name}")
    simulate(live_server, "pay/success", out_trade_no=payment.out_trade_no, notify=False)
    assert close_overdue_order(order.id) == "paid"
    db.session.commit()  # the payment is recorded paid, and its subscriber pays the order
    assert _fresh(order.id).status == "paid" and stock_of(sku) == 8
    assert db.session.get(Payment, payment.id).status == PaymentStatus.PAID
