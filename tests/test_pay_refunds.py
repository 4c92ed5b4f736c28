"""Refunds: partial ones add up to at most what was paid; the refund notification applies once."""

from __future__ import annotations

import threading

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from app.extensions import db
from app.payments.errors import PaymentError, PaymentErrorCode
from app.payments.models import Payment, Refund
from app.payments.refunds import refund
from app.payments.states import RefundStatus
from app.wechat import pay
from app.wechat.sandbox.pay_signing import encrypt_resource, notification_body, signed_headers
from app.wechat.sandbox.simulate_pay import refund_notification
from tests.pay_helpers import fresh, post_notification, published, shopper, simulate, start_payment


@pytest.fixture
def paid(live_app, live_server) -> Payment:
    payment = start_payment(shopper(), 1990).payment
    simulate(live_server, "pay/success", out_trade_no=payment.out_trade_no)
    published.clear()
    return fresh(Payment, payment.id)


def _refund(payment_id: int, amount_fen: int) -> Refund:
    row = refund(payment_id, amount_fen, "不想要了")
    db.session.commit()  # the submission to WeChat runs after this commit
    return fresh(Refund, row.id)


def test_partial_refunds_are_submitted_and_add_up_to_the_amount_paid(live_server, paid):
    first = _refund(paid.id, 1000)
    second = _refund(paid.id, 990)
    assert first.status == second.status == RefundStatus.PROCESSING
    assert first.refund_id and second.refund_id and first.refund_id != second.refund_id
    assert live_server.sandbox.records["pay_refunds"][first.out_refund_no]["refund"] == 1000
    assert fresh(Payment, paid.id).refund_held_fen == 1990


def test_a_refund_beyond_what_is_left_is_refused_and_records_nothing(live_server, paid):
    _refund(paid.id, 1500)
    with pytest.raises(PaymentError) as refused:
        refund(paid.id, 491)
    assert refused.value.error_code == PaymentErrorCode.REFUND_EXCEEDS_PAID and refused.value.status == 409
    assert "4.90" in refused.value.message
    db.session.rollback()
    assert db.session.query(Refund).count() == 1
    assert live_server.sandbox.calls["pay.refund"] == 1


def test_two_refunds_racing_cannot_exceed_the_payment(live_server, paid):
    app = live_server.app
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def attempt() -> None:
        with app.app_context():
            barrier.wait()
            try:
                refund(paid.id, 1000)
                db.session.commit()
                outcomes.append("ok")
            except PaymentError as exc:
                db.session.rollback()
                outcomes.append(exc.code)

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["ok", "refund_exceeds_paid"]
    assert fresh(Payment, paid.id).refund_held_fen == 1000


def test_an_unpaid_payment_cannot_be_refunded(live_app, live_server):
    payment = start_payment(shopper()).payment
    with pytest.raises(PaymentError) as refused:
        refund(payment.id, 100)
    assert refused.value.error_code == PaymentErrorCode.NOT_REFUNDABLE


def test_the_refund_notification_marks_it_succeeded_once(live_server, paid):
    row = _refund(paid.id, 500)
    first = simulate(live_server, "refund/success", out_refund_no=row.out_refund_no)
    again = simulate(live_server, "refund/success", out_refund_no=row.out_refund_no)
    assert first["app_status"] == again["app_status"] == 204 and first["app_body"] == ""
    done = fresh(Refund, row.id)
    assert done.status == RefundStatus.SUCCEEDED and done.succeeded_at and done.notified_at
    assert published == [("refund.succeeded", row.id)]


def test_a_refund_notification_with_a_wrong_amount_changes_nothing(live_server, paid, caplog):
    row = _refund(paid.id, 500)
    simulate(live_server, "refund/success", out_refund_no=row.out_refund_no, notify=False)
    record = dict(live_server.sandbox.records["pay_refunds"][row.out_refund_no], refund=1990)
    body, headers = refund_notification(record)
    answer = post_notification(live_server, body, headers, path="/wechat/pay/refund-notify")
    assert answer.status_code == 400 and answer.json()["code"] == "FAIL"
    assert fresh(Refund, row.id).status == RefundStatus.PROCESSING and published == []
    assert "amount_mismatch" in caplog.text


def test_a_forged_refund_notification_is_refused(live_server, paid):
    row = _refund(paid.id, 500)
    resource = {"mchid": paid.mchid, "out_trade_no": paid.out_trade_no, "out_refund_no": row.out_refund_no,
                "refund_id": row.refund_id, "refund_status": "SUCCESS", "amount": {"total": 1990, "refund": 500}}
    body = notification_body("REFUND.SUCCESS", "退款成功", encrypt_resource(resource, "refund"))
    forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    answer = post_notification(live_server, body, signed_headers(body, private_key=forger),
                               path="/wechat/pay/refund-notify")
    assert answer.status_code == 401
    assert fresh(Refund, row.id).status == RefundStatus.PROCESSING


def test_a_refund_wechat_refuses_fails_and_gives_its_amount_back(live_server, paid):
    # given WeChat already refunded the whole payment through another channel
    pay.create_refund(out_refund_no="Rother", out_trade_no=paid.out_trade_no, refund_fen=1990, total_fen=1990,
                      reason="")
    # when we ask for a refund WeChat will refuse
    row = _refund(paid.id, 100)
    # then the refund failed, its amount is free again, and refund.failed was published
    assert row.status == RefundStatus.FAILED and "INVALID_REQUEST" in row.fail_reason
    assert fresh(Payment, paid.id).refund_held_fen == 0
    assert published == [("refund.failed", row.id)]
