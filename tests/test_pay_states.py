"""Payments, refunds and transfers change status only along their tables, and only once."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import update

from app.extensions import db
from app.payments.models import Payment, Refund, Transfer
from app.payments.states import IllegalTransition, PaymentStatus, RefundStatus, TransferStatus, can_move, move
from tests.pay_helpers import shopper

P, R, T = PaymentStatus, RefundStatus, TransferStatus
ALLOWED = {
    Payment: {(P.UNPAID, P.PAID), (P.UNPAID, P.CLOSED), (P.CLOSED, P.PAID)},
    Refund: {(R.PENDING, R.PROCESSING), (R.PENDING, R.SUCCEEDED), (R.PENDING, R.ABNORMAL), (R.PENDING, R.CLOSED),
             (R.PENDING, R.FAILED), (R.PROCESSING, R.SUCCEEDED), (R.PROCESSING, R.ABNORMAL),
             (R.PROCESSING, R.CLOSED), (R.ABNORMAL, R.SUCCEEDED), (R.ABNORMAL, R.CLOSED)},
    Transfer: {(T.PENDING, T.WAIT_USER_CONFIRM), (T.PENDING, T.PROCESSING), (T.PENDING, T.SUCCEEDED),
               (T.PENDING, T.FAILED), (T.PENDING, T.CANCELLED), (T.WAIT_USER_CONFIRM, T.PROCESSING),
               (T.WAIT_USER_CONFIRM, T.SUCCEEDED), (T.WAIT_USER_CONFIRM, T.FAILED),
               (T.WAIT_USER_CONFIRM, T.CANCELLED), (T.PROCESSING, T.WAIT_USER_CONFIRM),
               (T.PROCESSING, T.SUCCEEDED), (T.PROCESSING, T.FAILED), (T.PROCESSING, T.CANCELLED)},
}
STATUSES = {Payment: PaymentStatus, Refund: RefundStatus, Transfer: TransferStatus}


def _rows(user_id: int) -> dict[type, object]:
    payment = Payment(out_trade_no="P1", purpose="order", subject_id=1, user_id=user_id, payer_openid="o",
                      amount_fen=100, description="d", appid="a", mchid="m", status=P.UNPAID)
    db.session.add(payment)
    db.session.flush()
    refund = Refund(out_refund_no="R1", payment_id=payment.id, amount_fen=100, status=R.PENDING)
    transfer = Transfer(out_bill_no="T1", purpose="withdrawal", subject_id=1, user_id=user_id, openid="o",
                        appid="a", mchid="m", amount_fen=100, remark="r", scene_id="1005", status=T.PENDING)
    db.session.add_all([refund, transfer])
    db.session.commit()
    return {Payment: payment, Refund: refund, Transfer: transfer}


@pytest.mark.parametrize("model", [Payment, Refund, Transfer], ids=lambda m: m.__tablename__)
def test_no_transition_outside_the_table_is_possible(app, model):
    row = _rows(shopper().id)[model]
    for current, wanted in itertools.product(STATUSES[model], repeat=2):
        db.session.execute(update(model).where(model.id == row.id).values(status=current))
        db.session.refresh(row)
        allowed = (current, wanted) in ALLOWED[model]
        assert can_move(model.__tablename__, current, wanted) is allowed, (current, wanted)
        if allowed:
            assert move(row, wanted) is True and row.status == wanted
        else:
            with pytest.raises(IllegalTransition):
                move(row, wanted)
            assert row.status == current
    db.session.rollback()


def test_a_move_another_transaction_made_first_is_not_made_twice(app):
    # given a payment loaded while unpaid
    payment = _rows(shopper().id)[Payment]
    assert payment.status == P.UNPAID
    # when another transaction marks it paid behind our back
    with db.engine.begin() as other:
        other.execute(update(Payment).where(Payment.id == payment.id).values(status=P.PAID, transaction_id="T9"))
    # then our own move from unpaid does nothing and shows the winner's state
    assert move(payment, P.PAID, transaction_id="T1") is False
    assert (payment.status, payment.transaction_id) == (P.PAID, "T9")
    db.session.rollback()
