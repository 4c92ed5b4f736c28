"""A whole paid order refunded by the system (a failed group, a payment for a closed order with
nothing left to sell): through the after-sales machinery, the same as a full refund the
merchant approves, and never twice however often it runs."""

from __future__ import annotations

from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.catalog.models import Sku
from app.extensions import db
from app.members.services import wallet_of
from app.orders import oplog
from app.orders.models import AfterSale, Order, OrderItem, OrderLog
from app.orders.order_refunds import refund_whole_order
from app.payments.models import Refund
from tests import factories
from tests.group_helpers import fresh_order, refunds_of
from tests.pay_helpers import fresh, shopper, simulate, start_payment
from tests.points_helpers import holder, place, points, rules
from tests.points_helpers import pay as pay_balance
from tests.points_helpers import skus as make_skus


def _refund(order_id: int, times: int = 1):
    outcomes = []
    for _run in range(times):
        outcomes.append(refund_whole_order(order_id, "group_failed", oplog.SYSTEM))
        db.session.commit()
    return outcomes


def _balance(user) -> int:
    db.session.expire_all()
    return wallet_of(user.id).balance_fen


def test_a_balance_order_comes_back_whole_once_however_often_it_runs(app):
    # given an order of two items paid from the balance
    user = holder(balance_fen=100_000)
    first, second = make_skus(3000, 1990)
    order = pay_balance(place(user, [(first, 2), (second, 1)]))
    paid = fresh_order(order.id).paid_fen
    before = _balance(user)
    # when the system refunds it five times
    outcomes = _refund(order.id, times=5)
    # then the first run refunded everything, the others nothing
    assert [len(outcome.after_sale_ids) for outcome in outcomes] == [2, 0, 0, 0, 0]
    assert _balance(user) == before + paid
    assert refunds_of(order.id) == [(paid, 2)]
    done = fresh_order(order.id)
    assert (done.status, done.close_reason, done.refunded_fen) == ("closed", "refunded", paid)
    rows = db.session.scalars(select(AfterSale).where(AfterSale.order_id == order.id)).all()
    assert {(row.kind, row.status, row.reason) for row in rows} == {("refund_only", "refunded", "拼团失败")}
    assert all(row.after_sale_no.startswith("SA") and "系统自动退款" in row.description for row in rows)
    # stock is back, the log and the audit say what happened once
    assert db.session.get(Sku, first.id).stock == 50 and db.session.get(Sku, second.id).stock == 50
    log = db.session.scalars(select(OrderLog.action).where(OrderLog.order_id == order.id)).all()
    assert log.count("auto_refund") == 1 and log.count("after_sale_refunded") == 2
    assert log.index("auto_refund") < log.index("after_sale_refunded")
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)
                             .where(AuditEntry.action == "after_sale.auto_refund")) == 1


def test_points_spent_on_the_order_come_back_with_it(app):
    rules()  # 100 points a yuan, up to half the goods
    user = holder(points=1000)
    sku, = make_skus(2000)
    order = pay_balance(place(user, [(sku, 1)], points=500))
    assert points(user) == 500
    _refund(order.id, times=3)
    assert points(user) == 1000
    assert fresh_order(order.id).status == "closed"


def test_what_the_shopper_claimed_already_is_left_to_their_own_request(app):
    # given a two-unit order whose shopper asked for one unit back
    from app.orders import after_sales
    from app.orders.after_sales import Application

    user = holder()
    sku, = make_skus(1000)
    order = pay_balance(place(user, [(sku, 2)]))
    own = after_sales.request_after_sale(user.id, Application(order_item_id=order.items[0].id, kind="refund_only",
                                                              quantity=1, reason="不想要了"))
    db.session.commit()
    # when the system refunds the whole order
    outcome = _refund(order.id)[0]
    # then it refunds the other unit only, and the shopper's request waits for the merchant
    system = db.session.get(AfterSale, outcome.after_sale_ids[0])
    assert (system.quantity, system.amount_fen, system.status) == (1, 1000, "refunded")
    assert fresh(AfterSale, own.id).status == "requested"
    item = db.session.get(OrderItem, order.items[0].id)
    assert (item.claimed_quantity, item.refunded_quantity) == (2, 1)
    assert _refund(order.id)[0].after_sale_ids == []


def test_an_unpaid_or_closed_order_is_left_alone(app):
    sku = factories.product(factories.category(), price_fen=1000, stock=5).skus[0]
    order = factories.order(factories.shopper(), [(sku, 1)])
    assert _refund(order.id)[0].after_sale_ids == []
    assert fresh_order(order.id).status == "pending_payment"
    assert db.session.scalar(select(func.count()).select_from(AfterSale)) == 0


def test_a_wechat_order_is_refunded_through_wechat_once(live_app, live_server):
    # given an order paid through the WeChat Pay sandbox
    user = shopper("wx-buyer")
    sku = factories.product(factories.category(), price_fen=2500, stock=10).skus[0]
    order = factories.order(user, [(sku, 2)], status="paid", pay_method="wechat", freight_fen=600)
    payment = start_payment(user, order.paid_fen).payment
    simulate(live_server, "pay/success", out_trade_no=payment.out_trade_no)
    order = fresh(Order, order.id)
    order.payment_id = payment.id
    db.session.commit()
    # when the system refunds it, five times
    _refund(order.id, times=5)
    # then one WeChat refund of everything paid, freight included, finishes it on WeChat's word
    refunds = db.session.scalars(select(Refund).where(Refund.payment_id == payment.id)).all()
    assert [row.amount_fen for row in refunds] == [5600]
    simulate(live_server, "refund/success", out_refund_no=refunds[0].out_refund_no)
    _refund(order.id, times=2)
    done = fresh(Order, order.id)
    assert (done.status, done.refunded_fen) == ("closed", 5600)
    assert db.session.scalar(select(func.count()).select_from(Refund).where(Refund.payment_id == payment.id)) == 1


def test_a_system_refund_wechat_refused_is_started_again_by_the_next_run(live_app, live_server):
    from app.wechat import pay

    # given a WeChat order whose money WeChat will not refund (refunded there already)
    user = shopper("wx-refused")
    sku = factories.product(factories.category(), price_fen=1990, stock=10).skus[0]
    order = factories.order(user, [(sku, 1)], status="paid", pay_method="wechat")
    payment = start_payment(user, order.paid_fen).payment
    simulate(live_server, "pay/success", out_trade_no=payment.out_trade_no)
    order = fresh(Order, order.id)
    order.payment_id = payment.id
    db.session.commit()
    pay.create_refund(out_refund_no="Rother", out_trade_no=payment.out_trade_no, refund_fen=1990, total_fen=1990,
                      reason="")
    # when the system refunds it and WeChat refuses
    first = _refund(order.id)[0]
    row = fresh(AfterSale, first.after_sale_ids[0])
    assert row.status == "requested"  # back to review, its units still claimed
    # then the next run starts the same after-sale again rather than claiming anew
    second = _refund(order.id)[0]
    assert second.after_sale_ids == [row.id]
    assert db.session.scalar(select(func.count()).select_from(AfterSale)) == 1
    assert db.session.scalar(select(func.count()).select_from(Refund).where(Refund.payment_id == payment.id)) == 2
    item = db.session.get(OrderItem, order.items[0].id)
    assert (item.claimed_fen, item.claimed_quantity) == (1990, 1)
