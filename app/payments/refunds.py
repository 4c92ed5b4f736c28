"""Refunds: full or partial, never more than was paid in total.

`refund()` reserves the amount under the payment's row lock and records the refund; a
money job submits it to WeChat after the commit, so the refund number is stored before
WeChat ever sees it and a retried submission is deduplicated by WeChat on that number.
"""

from __future__ import annotations

import logging
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import update

from app.core.events import publish
from app.core.jobs import job
from app.core.models import utcnow
from app.core.money import fen_to_yuan
from app.extensions import db
from app.payments.errors import PaymentError, PaymentErrorCode
from app.payments.models import Payment, Refund
from app.payments.records import check_amount, expect, locked, new_number, whole_fen
from app.payments.states import REFUND_HOLDS_AMOUNT, PaymentStatus, RefundStatus, can_move, move
from app.wechat import pay
from app.wechat.pay import PayApiError, PayUnavailable

log = logging.getLogger(__name__)

FROM_WECHAT = {"PROCESSING": RefundStatus.PROCESSING, "SUCCESS": RefundStatus.SUCCEEDED,
               "CLOSED": RefundStatus.CLOSED, "ABNORMAL": RefundStatus.ABNORMAL}
EVENTS = {RefundStatus.SUCCEEDED: "refund.succeeded", RefundStatus.CLOSED: "refund.failed",
          RefundStatus.FAILED: "refund.failed", RefundStatus.ABNORMAL: "refund.abnormal"}


def refundable_fen(payment: Payment) -> int:
    return payment.amount_fen - payment.refund_held_fen


def _hold(payment: Payment, amount_fen: int) -> bool:
    """Reserve `amount_fen` of the payment in one conditional UPDATE: atomic on every backend,
    so two refunds racing (even on SQLite, which has no row locks) cannot both fit."""
    held = Payment.refund_held_fen + amount_fen
    result = db.session.execute(update(Payment).where(Payment.id == payment.id, held <= Payment.amount_fen)
                                .values(refund_held_fen=held).execution_options(synchronize_session=False))
    db.session.refresh(payment, with_for_update=True)
    return result.rowcount == 1


def _release(row: Refund) -> None:
    """A refund that refunded nothing gives its amount back."""
    db.session.execute(update(Payment).where(Payment.id == row.payment_id)
                       .values(refund_held_fen=Payment.refund_held_fen - row.amount_fen)
                       .execution_options(synchronize_session=False))


def refund(payment_id: int, amount_fen: int, reason: str = "") -> Refund:
    """Record a refund of `amount_fen` and submit it to WeChat after the commit."""
    check_amount(amount_fen)
    payment = locked(Payment, id=payment_id)  # serialises refunds of one payment
    if payment is None:
        raise PaymentError(PaymentErrorCode.PAYMENT_NOT_FOUND, _("The payment does not exist."))
    if payment.status != PaymentStatus.PAID:
        raise PaymentError(PaymentErrorCode.NOT_REFUNDABLE, _("Only a paid payment can be refunded."))
    if not _hold(payment, amount_fen):
        left = refundable_fen(payment)
        raise PaymentError(PaymentErrorCode.REFUND_EXCEEDS_PAID,
                           _("At most %(yuan)s yuan can still be refunded.", yuan=fen_to_yuan(left)),
                           fields={"amount_fen": _("At most %(yuan)s yuan.", yuan=fen_to_yuan(left))})
    row = Refund(out_refund_no=new_number("R"), payment_id=payment.id, amount_fen=amount_fen,
                 reason=reason.strip()[:80], status=RefundStatus.PENDING)
    db.session.add(row)
    db.session.flush()
    submit_refund.delay(row.id)
    return row


@job("money")
def submit_refund(refund_id: int) -> None:
    """Send a pending refund to WeChat; safe twice (WeChat deduplicates out_refund_no).
    When WeChat cannot be reached the job fails and RQ retries it."""
    row = locked(Refund, id=refund_id)
    if row is None or row.status != RefundStatus.PENDING:
        return
    payment = row.payment
    try:
        answer = pay.create_refund(out_refund_no=row.out_refund_no, out_trade_no=payment.out_trade_no,
                                   refund_fen=row.amount_fen, total_fen=payment.amount_fen, reason=row.reason)
    except PayUnavailable:
        raise
    except PayApiError as exc:
        log.warning("refund %s refused by WeChat: %s", row.out_refund_no, exc.code)
        if move(row, RefundStatus.FAILED, wechat_status=exc.code[:32], fail_reason=f"{exc.code}: {exc.message}"[:255]):
            _release(row)
            publish(EVENTS[RefundStatus.FAILED], row.id)
        return
    _apply_refund_state(row, answer, notified=False)


def apply_refund_notification(resource: dict[str, Any]) -> bool:
    """Apply a decrypted REFUND.* resource; True if it changed the refund."""
    row = locked(Refund, out_refund_no=str(resource.get("out_refund_no") or ""))
    if row is None:
        raise PaymentError(PaymentErrorCode.REFUND_NOT_FOUND, _("The refund does not exist."))
    payment = row.payment
    amount = resource.get("amount") if isinstance(resource.get("amount"), dict) else {}
    expect(resource.get("mchid") == payment.mchid, PaymentErrorCode.MCHID_MISMATCH)
    expect(resource.get("out_trade_no") == payment.out_trade_no, PaymentErrorCode.STATE_CONFLICT)
    expect(whole_fen(amount.get("refund")) == row.amount_fen
           and whole_fen(amount.get("total")) == payment.amount_fen, PaymentErrorCode.AMOUNT_MISMATCH)
    return _apply_refund_state(row, resource, notified=True)


def _apply_refund_state(row: Refund, answer: dict[str, Any], *, notified: bool) -> bool:
    wechat_status = str(answer.get("status") or answer.get("refund_status") or "")
    wanted = FROM_WECHAT.get(wechat_status)
    refund_id = answer.get("refund_id") or row.refund_id
    expect(wanted is not None and (row.refund_id is None or refund_id == row.refund_id),
           PaymentErrorCode.STATE_CONFLICT)
    if wanted == row.status:
        return False  # a replay
    expect(can_move("refunds", row.status, wanted), PaymentErrorCode.STATE_CONFLICT)
    values: dict[str, Any] = {"refund_id": refund_id, "wechat_status": wechat_status}
    if wanted == RefundStatus.SUCCEEDED:
        values["succeeded_at"] = pay.parse_time(answer.get("success_time")) or utcnow()
    if notified:
        values["notified_at"] = utcnow()
    if not move(row, wanted, **values):
        return False
    if wanted not in REFUND_HOLDS_AMOUNT:
        _release(row)
    if wanted in EVENTS:
        publish(EVENTS[wanted], row.id)
    if wanted == RefundStatus.ABNORMAL:
        log.warning("refund %s is abnormal: WeChat could not credit the shopper", row.out_refund_no)
    return True
