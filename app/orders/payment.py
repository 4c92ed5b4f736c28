"""Paying an order: WeChat Pay, store balance or cash on delivery, and what WeChat's word does.

Every way to pay ends in `mark_order_paid`, a compare-and-set from pending_payment, so of two
payers (two requests, a notification and a query, the unpaid-close job) exactly one wins.
WeChat money that cannot pay the order — the wrong amount, an order closed meanwhile, an
order already paid another way — is refunded in full by `settle_wechat_payment`, and the
order is flagged for the merchant. Services flush, never commit.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import update

from app.accounts.models import User
from app.catalog.models import Product
from app.core.errors import Conflict, NotFound
from app.core.locking import locked
from app.core.models import utcnow
from app.core.money import fen_to_yuan
from app.extensions import db
from app.members.services import change_balance
from app.orders import events, oplog
from app.orders.models import Order
from app.orders.oplog import SYSTEM, OrderActor, move_order, shopper
from app.orders.states import OrderStatus, PayMethod
from app.payments import services as payments
from app.payments.errors import PaymentError, PaymentErrorCode
from app.payments.models import Payment
from app.payments.refunds import refund, refundable_fen
from app.payments.states import PaymentStatus
from app.shop.services import shop_settings

log = logging.getLogger(__name__)

PURPOSE = "order"  # Payment.purpose of an order's WeChat payment; subject_id is the order id
PAID_STATUSES = frozenset({OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.COMPLETED})
ENDED_STATUSES = frozenset({OrderStatus.CLOSED, OrderStatus.CANCELLED})


def pay_method_label(method: str) -> str:
    return {PayMethod.WECHAT: _("WeChat Pay"), PayMethod.BALANCE: _("Store balance"),
            PayMethod.COD: _("Cash on delivery")}.get(method, method)


@dataclass(frozen=True)
class PayOutcome:
    order: Order
    request_payment: dict[str, str] | None = None  # wx.requestPayment parameters (WeChat Pay only)


# -- paying -------------------------------------------------------------------------------
def pay_order(user_id: int, order_id: int, method: str) -> PayOutcome:
    """The shopper pays their pending order with `method`. WeChat answers a prompt for
    wx.requestPayment (the order is paid when WeChat says so); balance and cash on delivery
    move the order to paid at once."""
    order = _shoppers_order(user_id, order_id, lock=True)
    _check_payable(order)
    _check_enabled(method)
    if order.payable_fen == 0:  # nothing to collect: no WeChat payment, no ledger row
        _refuse_unless(mark_order_paid(order, paid_fen=0, method=method, actor=shopper(user_id)), order)
        return PayOutcome(order)
    if method == PayMethod.WECHAT:
        return _prompt_wechat(order)
    if _paid_by_wechat_meanwhile(order):
        return PayOutcome(order)  # the shopper's WeChat payment went through first: nothing more to take
    if method == PayMethod.BALANCE:
        _refuse_unless(mark_order_paid(order, paid_fen=order.payable_fen, method=method, actor=shopper(user_id)),
                       order)
        change_balance(user_id, -order.payable_fen, kind="order_pay", ref=order.order_no,
                       reason=_("Payment for order %(no)s", no=order.order_no))
    else:
        _refuse_unless(mark_order_paid(order, paid_fen=0, method=method, actor=shopper(user_id)), order)
    return PayOutcome(order)


def mark_order_paid(order: Order, *, paid_fen: int, method: str, actor: OrderActor,
                    payment_id: int | None = None) -> bool:
    """Move the order from pending_payment to paid (cash on delivery: confirmed, `paid_fen` 0
    until collected), count the sales and announce order.paid after the commit. False if
    another transaction moved the order first (nothing else done; the order is reloaded)."""
    values = {"pay_method": method, "paid_fen": paid_fen, "paid_at": utcnow()}
    if payment_id is not None:
        values["payment_id"] = payment_id
    action = "cod_confirmed" if method == PayMethod.COD else "paid"
    note = f"{pay_method_label(method)} ¥{fen_to_yuan(paid_fen)}"
    if not move_order(order, OrderStatus.PAID, actor, action, note=note, **values):
        return False
    _count_sales(order)
    events.order_paid(order.id)
    return True


def _prompt_wechat(order: Order) -> PayOutcome:
    user = db.session.get(User, order.user_id)
    if user is None or not user.mp_openid:
        raise Conflict(_("Please log in through the mini-program to pay with WeChat Pay."),
                       code="wechat_login_required")
    try:
        prompt = payments.create_jsapi_payment(
            user_id=order.user_id, openid=user.mp_openid, amount_fen=order.payable_fen,
            description=_description(order), purpose=PURPOSE, subject_id=order.id, expires_at=order.pay_deadline)
    except PaymentError as exc:  # paid at WeChat, the order not yet: its notification is on the way
        if exc.error_code == PaymentErrorCode.ALREADY_PAID:
            raise Conflict(_("This order has already been paid."), code="order_already_paid") from exc
        raise
    # Conditional: never relabel an order another transaction has just paid (SQLite has no row lock).
    chosen = db.session.execute(
        update(Order).where(Order.id == order.id, Order.status == OrderStatus.PENDING_PAYMENT)
        .values(pay_method=PayMethod.WECHAT, payment_id=prompt.payment.id, updated_at=utcnow())
        .execution_options(synchronize_session=False)).rowcount == 1
    db.session.refresh(order)
    _refuse_unless(chosen, order)
    return PayOutcome(order, prompt.params)


def _paid_by_wechat_meanwhile(order: Order) -> bool:
    """Before paying another way, close the WeChat payment the shopper could still complete.
    If WeChat says it was paid meanwhile, that payment settles the order here and now (True
    when it paid it), so the money is never taken twice."""
    if order.payment_id is None:
        return False
    live = payments.close_payment(order.payment_id)
    if live.status != PaymentStatus.PAID:
        return False
    settle_wechat_payment(live.id)
    db.session.refresh(order)
    return order.status != OrderStatus.PENDING_PAYMENT


def _description(order: Order) -> str:
    first = order.items[0].title if order.items else order.order_no
    return f"{shop_settings().name}-{first}"


def _count_sales(order: Order) -> None:
    """Real sales grow by the units paid for, one atomic UPDATE per product (in id order)."""
    quantities = Counter()
    for item in order.items:
        quantities[item.product_id] += item.quantity
    for product_id in sorted(quantities):
        db.session.execute(update(Product).where(Product.id == product_id)
                           .values(sales=Product.sales + quantities[product_id])
                           .execution_options(synchronize_session=False))


# -- checks --------------------------------------------------------------------------------
def _shoppers_order(user_id: int, order_id: int, *, lock: bool = False) -> Order:
    """The shopper's own order; someone else's is as missing as a wrong id (404)."""
    order = locked(Order, id=order_id, user_id=user_id) if lock else \
        db.session.get(Order, order_id)
    if order is None or order.user_id != user_id:
        raise NotFound(_("The order does not exist."), code="order_not_found")
    return order


def _check_payable(order: Order) -> None:
    if order.status in PAID_STATUSES:
        raise Conflict(_("This order has already been paid."), code="order_already_paid")
    if order.status != OrderStatus.PENDING_PAYMENT:
        raise Conflict(_("This order is closed and can no longer be paid."), code="order_closed")
    if order.pay_deadline <= utcnow():
        raise Conflict(_("The time to pay this order has run out."), code="order_pay_expired")


def _check_enabled(method: str) -> None:
    settings = shop_settings()
    enabled = {PayMethod.WECHAT: settings.pay_wechat, PayMethod.BALANCE: settings.pay_balance,
               PayMethod.COD: settings.pay_cod}
    if not enabled.get(method):
        raise Conflict(_("This shop does not accept this payment method."), code="pay_method_disabled")


def _refuse_unless(moved: bool, order: Order) -> None:
    """A lost compare-and-set: say why, from the winner's state (the edge rolls back)."""
    if not moved:
        _check_payable(order)
        raise Conflict(_("Please try again."), code="retry")


# -- WeChat's word -------------------------------------------------------------------------
def settle_wechat_payment(payment_id: int, actor: OrderActor = SYSTEM) -> str:
    """A WeChat payment for an order succeeded: pay the order, or refund the money in full
    when it cannot (amount_mismatch, paid_after_close, duplicate_payment). Safe to run
    twice; returns what it did."""
    payment = db.session.get(Payment, payment_id, populate_existing=True)
    if payment is None or payment.purpose != PURPOSE or payment.status != PaymentStatus.PAID:
        return "ignored"
    order = locked(Order, id=payment.subject_id)  # order before payment, as closing does
    payment = locked(Payment, id=payment_id)
    if order is None or payment is None:
        log.error("payment %s is for order %s, which does not exist", payment_id, payment and payment.subject_id)
        return "ignored"
    if order.status == OrderStatus.PENDING_PAYMENT:
        if payment.refund_held_fen:  # refused before (the amount was wrong): it never pays the order
            return "refunded_before"
        if payment.amount_fen != order.payable_fen:
            return _refund_in_full(order, payment, "amount_mismatch", actor, _(
                "WeChat Pay received ¥%(paid)s but the order asks ¥%(payable)s; refunded in full.",
                paid=fen_to_yuan(payment.amount_fen), payable=fen_to_yuan(order.payable_fen)))
        if mark_order_paid(order, paid_fen=payment.amount_fen, method=PayMethod.WECHAT, actor=actor,
                           payment_id=payment.id):
            return "paid"
    if order.paid_at is not None and order.pay_method == PayMethod.WECHAT and order.payment_id == payment.id:
        return "replay"  # this payment paid the order already (the winner of a race, or a rerun)
    if order.status in ENDED_STATUSES:
        return _refund_in_full(order, payment, "paid_after_close", actor, _(
            "WeChat Pay received ¥%(paid)s after the order closed; refunded in full.",
            paid=fen_to_yuan(payment.amount_fen)))
    return _refund_in_full(order, payment, "duplicate_payment", actor, _(
        "WeChat Pay received ¥%(paid)s for an order already paid; refunded in full.",
        paid=fen_to_yuan(payment.amount_fen)))


def _refund_in_full(order: Order, payment: Payment, exception: str, actor: OrderActor, note: str) -> str:
    left = refundable_fen(payment)
    if left <= 0:
        return "refunded_before"
    refund(payment.id, left, reason=_("Refund of a payment the order could not take"))
    if not order.exception:
        order.exception = exception
    oplog.log(order, actor, "auto_refund", note=note)
    db.session.flush()
    log.warning("order %s: %s, payment %s refunded (%s fen)", order.order_no, exception, payment.out_trade_no, left)
    return exception


def refresh_pay_status(user_id: int, order_id: int) -> Order:
    """After wx.requestPayment returns: ask WeChat once about a pending order's payment, so
    the shopper sees it paid even when the notification is late."""
    order = _shoppers_order(user_id, order_id)
    if order.status != OrderStatus.PENDING_PAYMENT or order.payment_id is None:
        return order
    payment = db.session.get(Payment, order.payment_id)
    if payment is None or payment.status == PaymentStatus.CLOSED:
        return order
    if payment.status == PaymentStatus.UNPAID:
        try:
            payment = payments.query_payment(payment.out_trade_no)
        except PaymentError as exc:  # WeChat unreachable: the notification or the sweep catches up
            log.warning("pay status of order %s not queried: %s", order.order_no, exc.code)
            return order
    if payment.status == PaymentStatus.PAID:
        settle_wechat_payment(payment.id)
    db.session.refresh(order)
    return order
