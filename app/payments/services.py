"""Payments: a JSAPI prepay for the mini-program, then what WeChat says happened.

WeChat's word arrives two ways, the paid notification and the query a job makes when none
came; both go through `_apply_transaction`, which checks appid, mchid and amount against our
own record, then moves the status once (row lock + compare-and-set + unique transaction_id).
Services flush, never commit; events reach subscribers only after the caller commits.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import exc as sa_exc
from sqlalchemy import select

from app.core.events import publish
from app.core.models import utcnow
from app.extensions import db
from app.payments.errors import PaymentError, PaymentErrorCode
from app.payments.models import Payment
from app.payments.records import (
    as_payment_error,
    calling_wechat,
    check_amount,
    check_purpose,
    expect,
    locked,
    new_number,
    whole_fen,
)
from app.payments.states import PaymentStatus, move
from app.wechat import pay
from app.wechat.pay import PayApiError, PayUnavailable

log = logging.getLogger(__name__)

PREPAY_REUSABLE_FOR = timedelta(minutes=110)  # WeChat keeps a prepay_id valid for two hours


@dataclass(frozen=True)
class PaymentPrompt:
    payment: Payment
    params: dict[str, str]  # for wx.requestPayment


def _fit(text: str, max_bytes: int) -> str:
    """Cut `text` to WeChat's length limit, which counts UTF-8 bytes, never mid-character."""
    return text.encode()[:max_bytes].decode(errors="ignore")


def get_payment(payment_id: int) -> Payment:
    payment = db.session.get(Payment, payment_id)
    if payment is None:
        raise PaymentError(PaymentErrorCode.PAYMENT_NOT_FOUND, _("The payment does not exist."))
    return payment


def create_jsapi_payment(*, user_id: int, openid: str, amount_fen: int, description: str, purpose: str,
                         subject_id: int, expires_at: datetime | None = None) -> PaymentPrompt:
    """Prepay `amount_fen` for (purpose, subject_id) and return what wx.requestPayment needs.

    A subject has one live payment: asking again reuses its prepay while it is valid and the
    amount is the same, otherwise closes it first, so a shopper can never pay twice.
    """
    check_purpose(purpose)
    check_amount(amount_fen)
    subject = f"{purpose}:{subject_id}"
    live = locked(Payment, open_subject=subject)
    if live is not None:
        if live.status == PaymentStatus.PAID:
            raise PaymentError(PaymentErrorCode.ALREADY_PAID, _("This has already been paid."))
        if (live.amount_fen, live.payer_openid) == (amount_fen, openid) and live.prepay_id \
                and live.prepaid_at and live.prepaid_at > utcnow() - PREPAY_REUSABLE_FOR:
            return PaymentPrompt(live, pay.request_payment_params(live.prepay_id))
        if close_payment(live.id).status == PaymentStatus.PAID:
            raise PaymentError(PaymentErrorCode.ALREADY_PAID, _("This has already been paid."))
    appid, mchid = pay.merchant()
    payment = Payment(out_trade_no=new_number("P"), purpose=purpose, subject_id=subject_id, open_subject=subject,
                      user_id=user_id, payer_openid=openid, amount_fen=amount_fen,
                      description=_fit(description.strip(), 127) or subject, appid=appid, mchid=mchid,
                      status=PaymentStatus.UNPAID)
    db.session.add(payment)
    try:
        db.session.flush()
    except sa_exc.IntegrityError as exc:  # another request created one for the subject meanwhile
        raise PaymentError(PaymentErrorCode.PAYMENT_IN_PROGRESS,
                           _("A payment for this is already in progress.")) from exc
    with calling_wechat():
        payment.prepay_id = pay.jsapi_prepay(out_trade_no=payment.out_trade_no, description=payment.description,
                                             amount_fen=amount_fen, openid=openid, expires_at=expires_at)
    payment.prepaid_at = utcnow()
    db.session.flush()
    return PaymentPrompt(payment, pay.request_payment_params(payment.prepay_id))


def apply_payment_notification(transaction: dict[str, Any]) -> bool:
    """Apply a decrypted TRANSACTION.SUCCESS resource; True if it marked the payment paid
    (False for a replay). Raises PaymentError when it contradicts our record."""
    return _apply_transaction(transaction, notified=True)


def query_payment(out_trade_no: str) -> Payment:
    """Ask WeChat about a payment (when no notification came) and apply the answer."""
    payment = db.session.scalar(select(Payment).where(Payment.out_trade_no == out_trade_no))
    if payment is None:
        raise PaymentError(PaymentErrorCode.PAYMENT_NOT_FOUND, _("The payment does not exist."))
    with calling_wechat():
        transaction = pay.query_transaction(out_trade_no)
    if transaction is not None:
        _apply_transaction(transaction, notified=False)
    return payment


def close_payment(payment_id: int) -> Payment:
    """Close an unpaid payment at WeChat and here. If the shopper paid meanwhile, WeChat says
    so and the payment ends up paid instead: check the returned status."""
    payment = locked(Payment, id=payment_id)
    if payment is None:
        raise PaymentError(PaymentErrorCode.PAYMENT_NOT_FOUND, _("The payment does not exist."))
    if payment.status != PaymentStatus.UNPAID:
        return payment
    try:
        pay.close_transaction(payment.out_trade_no)
    except PayApiError as exc:
        if exc.code == "ORDERPAID":  # the shopper paid just before: take WeChat's word
            return query_payment(payment.out_trade_no)
        if exc.code not in pay.NOT_FOUND_CODES or isinstance(exc, PayUnavailable):
            raise as_payment_error(exc) from exc
    if move(payment, PaymentStatus.CLOSED, open_subject=None, closed_at=utcnow(), trade_state="CLOSED"):
        publish("payment.closed", payment.id)
    return payment


def stale_unpaid_payment_ids(older_than: timedelta) -> list[int]:
    """Unpaid payments that WeChat may have taken money for without telling us yet."""
    return list(db.session.scalars(
        select(Payment.id).where(Payment.status == PaymentStatus.UNPAID, Payment.prepay_id.is_not(None),
                                 Payment.created_at <= utcnow() - older_than).order_by(Payment.id)))


def _check_against_record(payment: Payment, transaction: dict[str, Any], paid: bool) -> None:
    expect(transaction.get("appid") == payment.appid, PaymentErrorCode.APPID_MISMATCH)
    expect(transaction.get("mchid") == payment.mchid, PaymentErrorCode.MCHID_MISMATCH)
    amount = transaction.get("amount") if isinstance(transaction.get("amount"), dict) else {}
    expect(whole_fen(amount.get("total")) == payment.amount_fen, PaymentErrorCode.AMOUNT_MISMATCH)
    if paid:  # what the shopper paid plus WeChat's promotions must make up the total
        promotions = transaction.get("promotion_detail") or []
        discounts = [whole_fen(p.get("amount")) if isinstance(p, dict) else None for p in promotions]
        payer_total = whole_fen(amount.get("payer_total"))
        expect(None not in discounts and payer_total is not None
               and payer_total + sum(discounts) == payment.amount_fen  # type: ignore[arg-type]
               and amount.get("currency", "CNY") == "CNY", PaymentErrorCode.AMOUNT_MISMATCH)


def _apply_transaction(transaction: dict[str, Any], *, notified: bool) -> bool:
    payment = locked(Payment, out_trade_no=str(transaction.get("out_trade_no") or ""))
    if payment is None:
        raise PaymentError(PaymentErrorCode.PAYMENT_NOT_FOUND, _("The payment does not exist."))
    trade_state = str(transaction.get("trade_state") or "")
    _check_against_record(payment, transaction, paid=trade_state == "SUCCESS")
    if trade_state != "SUCCESS":
        if payment.status == PaymentStatus.UNPAID:
            payment.trade_state = trade_state[:32]
            if trade_state == "CLOSED" and move(payment, PaymentStatus.CLOSED, open_subject=None,
                                                closed_at=utcnow()):
                publish("payment.closed", payment.id)
        return False
    transaction_id = str(transaction.get("transaction_id") or "")
    expect(0 < len(transaction_id) <= 32, PaymentErrorCode.STATE_CONFLICT)
    if payment.status != PaymentStatus.PAID:
        if payment.status == PaymentStatus.CLOSED:
            log.error("payment %s was paid after it was closed: it needs a refund", payment.out_trade_no)
        changed = move(payment, PaymentStatus.PAID, transaction_id=transaction_id, trade_state=trade_state,
                       paid_at=pay.parse_time(transaction.get("success_time")) or utcnow(),
                       notified_at=utcnow() if notified else None)
        if changed:
            publish("payment.succeeded", payment.id)
            log.info("payment %s paid (%s fen)", payment.out_trade_no, payment.amount_fen)
            return True
    # Already paid (a replay, or the winner of a race): fine if it is the same transaction.
    expect(payment.transaction_id == transaction_id, PaymentErrorCode.STATE_CONFLICT)
    return False
