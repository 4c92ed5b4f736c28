"""Refunds of after-sales go back the way the order was paid, finish once, and never exceed what was paid."""

from __future__ import annotations

import itertools

import pytest

from app.audit.services import Actor
from app.catalog.models import Sku
from app.core.errors import Conflict
from app.core.events import subscribe
from app.core.jobs import job
from app.core.models import utcnow
from app.extensions import db
from app.members.models import BalanceEntry
from app.members.services import wallet_of
from app.orders import after_sale_refunds, after_sales, oplog
from app.orders.after_sales import Application
from app.orders.models import AfterSale, Order, OrderItem, OrderLog
from app.payments.models import Payment, Refund
from app.payments.states import RefundStatus
from app.wechat import pay
from tests import factories
from tests.pay_helpers import fresh, shopper, simulate, start_payment

item_refunds: list[tuple[int, int, int, int]] = []
closed_orders: list[int] = []
_buyers = itertools.count(1)

BOSS = Actor(None, "127.0.0.1")
BY = oplog.staff(None, "boss")


@subscribe("order.item_refunded")
@job("default")
def record_item_refunded(order_item_id: int, amount_fen: int, quantity: int, after_sale_id: int) -> None:
    item_refunds.append((order_item_id, amount_fen, quantity, after_sale_id))


@subscribe("order.closed")
@job("default")
def record_order_closed(order_id: int) -> None:
    closed_orders.append(order_id)


@pytest.fixture(autouse=True)
def _clear_events():
    item_refunds.clear()
    closed_orders.clear()


def _order(user, *, status="paid", pay_method="balance", quantity=2, price_fen=1000, freight_fen=0, **fields):
    product = factories.product(factories.category(), price_fen=price_fen, stock=10)
    return factories.order(user, [(product.skus[0], quantity)], status=status, pay_method=pay_method,
                           freight_fen=freight_fen, **fields)


def _wechat_order(server, *, quantity=2, price_fen=1000, freight_fen=0, status="paid") -> Order:
    """An order paid through the WeChat Pay sandbox, as the paying step leaves it."""
    user = shopper(f"buyer{next(_buyers)}")
    order = _order(user, pay_method="wechat", quantity=quantity, price_fen=price_fen, freight_fen=freight_fen,
                   status=status)
    payment = start_payment(user, order.paid_fen).payment
    simulate(server, "pay/success", out_trade_no=payment.out_trade_no)
    order = fresh(Order, order.id)
    order.payment_id = payment.id
    db.session.commit()
    return order


def _ask(order, quantity=1, kind="refund_only", **fields) -> AfterSale:
    row = after_sales.request_after_sale(order.user_id, Application(
        order_item_id=order.items[0].id, kind=kind, quantity=quantity, reason="质量问题", **fields))
    db.session.commit()
    return row


def _approve(row: AfterSale, address: str = "") -> AfterSale:
    after_sales.approve(BOSS, BY, row.id, address)
    db.session.commit()
    return fresh(AfterSale, row.id)


def test_refund_only_through_wechat_finishes_on_the_notification_once(live_app, live_server):
    order = _wechat_order(live_server, quantity=2, price_fen=1000)
    row = _approve(_ask(order))
    refund = db.session.get(Refund, row.refund_id)
    assert row.status == "refunding" and refund.amount_fen == 1000 and refund.status == RefundStatus.PROCESSING
    assert item_refunds == []
    simulate(live_server, "refund/success", out_refund_no=refund.out_refund_no)
    simulate(live_server, "refund/success", out_refund_no=refund.out_refund_no)  # WeChat retries
    done = fresh(AfterSale, row.id)
    item = db.session.get(OrderItem, order.items[0].id)
    assert done.status == "refunded" and done.refunded_at
    assert (item.refunded_fen, item.refunded_quantity, item.claimed_fen) == (1000, 1, 1000)
    assert db.session.get(Order, order.id).refunded_fen == 1000
    assert item_refunds == [(item.id, 1000, 1, row.id)]
    actions = [entry.action for entry in db.session.query(OrderLog).filter_by(order_id=order.id)]
    assert actions == ["after_sale_requested", "after_sale_refunding", "after_sale_refunded"]


def test_a_refund_wechat_refuses_goes_back_to_the_merchant(live_app, live_server):
    order = _wechat_order(live_server, quantity=1, price_fen=1990)
    payment = db.session.get(Payment, order.payment_id)
    pay.create_refund(out_refund_no="Rother", out_trade_no=payment.out_trade_no, refund_fen=1990, total_fen=1990,
                      reason="")
    row = _approve(_ask(order))
    assert row.status == "requested" and db.session.get(Refund, row.refund_id).status == RefundStatus.FAILED
    item = db.session.get(OrderItem, order.items[0].id)
    assert (item.claimed_fen, item.refunded_fen) == (1990, 0)  # still claimed, nothing refunded
    assert db.session.query(OrderLog).filter_by(order_id=order.id, action="after_sale_refund_failed").count() == 1
    assert item_refunds == [] and db.session.get(Order, order.id).status == "paid"


def test_the_last_wechat_refund_of_an_unshipped_order_carries_the_freight_and_closes_it(live_app, live_server):
    order = _wechat_order(live_server, quantity=2, price_fen=1000, freight_fen=800)
    first = _approve(_ask(order))
    simulate(live_server, "refund/success", out_refund_no=db.session.get(Refund, first.refund_id).out_refund_no)
    second = _approve(_ask(order))
    last = db.session.get(Refund, second.refund_id)
    assert last.amount_fen == 1800  # its 1000 and the 800 freight
    simulate(live_server, "refund/success", out_refund_no=last.out_refund_no)
    closed = fresh(Order, order.id)
    assert closed.status == "closed" and closed.close_reason == "refunded"
    assert closed.refunded_fen == closed.paid_fen == 2800
    assert fresh(Payment, order.payment_id).refund_held_fen == 2800
    assert [amount for _item, amount, _qty, _id in item_refunds] == [1000, 1000]
    assert closed_orders == [order.id]


def test_the_last_refund_of_an_unshipped_order_carries_the_freight_and_closes_it(app):
    user = factories.shopper()
    order = _order(user, pay_method="balance", quantity=2, price_fen=1000, freight_fen=800)
    sku_id = order.items[0].sku_id
    stock_before = db.session.get(Sku, sku_id).stock
    _approve(_ask(order))
    _approve(_ask(order))
    closed = fresh(Order, order.id)
    assert closed.status == "closed" and closed.close_reason == "refunded" and closed.closed_at
    assert closed.refunded_fen == closed.paid_fen == 2800
    assert wallet_of(user.id).balance_fen == 2800
    assert [entry.delta_fen for entry in db.session.query(BalanceEntry).order_by(BalanceEntry.id)] == [1000, 1800]
    assert [amount for _item, amount, _qty, _id in item_refunds] == [1000, 1000]  # freight is not an item's
    assert closed_orders == [order.id]
    assert db.session.get(Sku, sku_id).stock == stock_before + 2  # the units never left


def test_a_balance_refund_is_credited_once_even_when_finished_again(app):
    user = factories.shopper()
    order = _order(user, status="shipped", quantity=3, price_fen=999)
    row = _approve(_ask(order, quantity=2))
    assert row.status == "refunded" and row.refund_method == "balance"
    assert not after_sale_refunds.finish_refund(row, row.amount_fen, BY)  # a replay
    db.session.commit()
    item = db.session.get(OrderItem, order.items[0].id)
    assert (item.refunded_fen, item.refunded_quantity) == (1998, 2)
    assert wallet_of(user.id).balance_fen == 1998 and fresh(Order, order.id).refunded_fen == 1998
    assert fresh(Order, order.id).status == "shipped"
    assert item_refunds == [(item.id, 1998, 2, row.id)]


def test_partial_refunds_add_up_exactly_and_a_further_claim_is_refused(app):
    user = factories.shopper()
    order = _order(user, status="shipped", quantity=3, price_fen=1000, discount_fen=1)  # paid 2999
    rows = [_approve(_ask(order)) for _ in range(3)]
    assert [row.amount_fen for row in rows] == [999, 999, 1001]
    item = db.session.get(OrderItem, order.items[0].id)
    assert item.refunded_fen == item.paid_fen == 2999 and item.refunded_quantity == 3
    final = fresh(Order, order.id)
    assert final.refunded_fen == 2999 and final.status == "closed"
    with pytest.raises(Conflict) as refused:
        _ask(order)
    assert refused.value.code == "after_sale_not_allowed"  # the order closed
    db.session.rollback()


def test_return_and_refund_with_tracking_restocks_and_refunds(client):
    user = factories.shopper()
    order = _order(user, status="shipped", quantity=2, price_fen=1500)
    sku_id = order.items[0].sku_id
    stock_before = db.session.get(Sku, sku_id).stock
    row = _ask(order, kind="return_refund")
    approved = _approve(row, "李四 13900000000 深圳市南山区退货仓")
    assert approved.status == "approved" and "退货仓" in approved.return_address
    from tests.test_after_sales import auth

    sent = client.post(f"/api/v1/after-sales/{row.id}/return", json={"courier_code": "sf", "tracking_no": "SF100200"},
                       headers=auth(user))
    assert sent.status_code == 200 and sent.get_json()["return_tracking_no"] == "SF100200"
    assert sent.get_json()["return_courier_code"] == "SF" and sent.get_json()["status"] == "returning"
    after_sales.confirm_received(BOSS, BY, row.id, restock=True)
    db.session.commit()
    done = fresh(AfterSale, row.id)
    assert done.status == "refunded" and done.restock and done.received_at
    assert db.session.get(Sku, sku_id).stock == stock_before + 1
    assert wallet_of(user.id).balance_fen == 1500


def test_rejecting_releases_the_claim(app):
    order = _order(factories.shopper(), status="shipped", quantity=1, price_fen=800)
    row = _ask(order)
    after_sales.reject(BOSS, BY, row.id, "已超过质保")
    db.session.commit()
    item = db.session.get(OrderItem, order.items[0].id)
    assert fresh(AfterSale, row.id).status == "rejected" and (item.claimed_fen, item.claimed_quantity) == (0, 0)
    with pytest.raises(Conflict):
        after_sales.approve(BOSS, BY, row.id)
    db.session.rollback()
    assert wallet_of(order.user_id).balance_fen == 0


def test_cash_on_delivery_not_collected_has_nothing_to_pay_back(app):
    order = _order(factories.shopper(), status="paid", pay_method="cod", quantity=1, price_fen=800)
    row = _approve(_ask(order))
    assert row.status == "refunded" and row.refund_method == "cod"
    closed = fresh(Order, order.id)
    assert closed.refunded_fen == 0 and closed.status == "closed"
    assert item_refunds == [(order.items[0].id, 800, 1, row.id)]


def test_cash_on_delivery_collected_is_refunded_offline_by_the_merchant(app):
    order = _order(factories.shopper(), status="shipped", pay_method="cod", quantity=2, price_fen=800)
    order.paid_fen = order.payable_fen  # collected on delivery
    db.session.commit()
    row = _approve(_ask(order))
    assert row.status == "refunding" and item_refunds == []
    after_sale_refunds.confirm_offline_refund(BOSS, BY, row.id)
    db.session.commit()
    assert fresh(AfterSale, row.id).status == "refunded" and fresh(Order, order.id).refunded_fen == 800


def test_a_completed_order_stays_completed_when_everything_is_refunded(app):
    order = _order(factories.shopper(), status="completed", quantity=1, price_fen=700, completed_at=utcnow())
    row = _approve(_ask(order))
    assert row.status == "refunded"
    final = fresh(Order, order.id)
    assert final.status == "completed" and final.refunded_fen == 700 and closed_orders == []


def test_a_failed_refund_of_a_received_return_waits_for_the_merchant_with_the_goods_kept(live_app, live_server):
    order = _wechat_order(live_server, quantity=1, price_fen=1990, status="shipped")
    payment = db.session.get(Payment, order.payment_id)
    pay.create_refund(out_refund_no="Rother2", out_trade_no=payment.out_trade_no, refund_fen=1990, total_fen=1990,
                      reason="")
    row = _approve(_ask(order, kind="return_refund"), "退货仓")
    after_sales.confirm_received(BOSS, BY, row.id, restock=True)
    db.session.commit()
    back = fresh(AfterSale, row.id)
    assert back.status == "returning" and back.received_at and back.restock
    stock = db.session.get(Sku, order.items[0].sku_id).stock
    after_sales.confirm_received(BOSS, BY, row.id, restock=True)  # the merchant tries again
    db.session.commit()
    assert db.session.get(Sku, order.items[0].sku_id).stock == stock  # not restocked twice
    assert fresh(AfterSale, row.id).status == "returning" and item_refunds == []


def test_refund_only_puts_back_only_units_that_never_shipped(app):
    order = _order(factories.shopper(), status="paid", quantity=3, price_fen=500)
    item = db.session.get(OrderItem, order.items[0].id)
    item.shipped_quantity = 1  # one unit already left in a parcel
    db.session.commit()
    stock_before = db.session.get(Sku, item.sku_id).stock
    unshipped = _approve(_ask(order, quantity=2))
    assert unshipped.restock and db.session.get(Sku, item.sku_id).stock == stock_before + 2
    shipped = _approve(_ask(order, quantity=1))
    assert shipped.status == "refunded" and not shipped.restock
    assert db.session.get(Sku, item.sku_id).stock == stock_before + 2
