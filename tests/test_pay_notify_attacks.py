"""Forged, tampered, stale, mismatched or malformed pay notifications are refused in WeChat's
failure format, logged, and change nothing."""

from __future__ import annotations

import time

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from app.payments.models import Payment
from app.payments.states import PaymentStatus
from app.wechat.sandbox.pay_signing import encrypt_resource, notification_body, signed_headers
from tests.pay_helpers import (
    fresh,
    notification,
    paid_resource,
    post_notification,
    published,
    shopper,
    simulate,
    start_payment,
)


@pytest.fixture
def paid_at_wechat(live_app, live_server):
    """A payment WeChat considers paid, whose genuine notification has not been delivered."""
    published.clear()
    payment = start_payment(shopper(), 1990).payment
    simulate(live_server, "pay/success", out_trade_no=payment.out_trade_no, notify=False)
    return payment


def _refused(live_server, payment, answer, status, caplog, reason):
    assert answer.status_code == status, answer.text
    assert answer.json()["code"] == "FAIL" and answer.json()["message"]
    unchanged = fresh(Payment, payment.id)
    assert unchanged.status == PaymentStatus.UNPAID and unchanged.transaction_id is None
    assert published == []
    rejections = [r for r in caplog.records if "rejected" in r.getMessage()]
    assert rejections and reason in rejections[-1].getMessage()
    assert not any("BEGIN" in r.getMessage() or "Wechatpay-Signature" in r.getMessage() for r in caplog.records)


def test_a_tampered_body_is_refused(live_server, paid_at_wechat, caplog):
    body, headers = notification(paid_resource(paid_at_wechat))
    answer = post_notification(live_server, body.replace("支付成功", "支付成功!"), headers)
    _refused(live_server, paid_at_wechat, answer, 401, caplog, "signature does not verify")


def test_a_notification_signed_by_another_key_is_refused(live_server, paid_at_wechat, caplog):
    forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    body, headers = notification(paid_resource(paid_at_wechat), private_key=forger)
    answer = post_notification(live_server, body, headers)
    _refused(live_server, paid_at_wechat, answer, 401, caplog, "signature does not verify")


def test_a_wrong_platform_serial_is_refused(live_server, paid_at_wechat, caplog):
    body, headers = notification(paid_resource(paid_at_wechat), serial="PUB_KEY_ID_0000000000000000000000000000")
    answer = post_notification(live_server, body, headers)
    _refused(live_server, paid_at_wechat, answer, 401, caplog, "unknown platform serial")


@pytest.mark.parametrize("skew", [-301, 301])
def test_a_timestamp_more_than_five_minutes_off_is_refused(live_server, paid_at_wechat, caplog, skew):
    body, headers = notification(paid_resource(paid_at_wechat), timestamp=int(time.time()) + skew)
    answer = post_notification(live_server, body, headers)
    _refused(live_server, paid_at_wechat, answer, 401, caplog, "timestamp")


def test_a_timestamp_four_minutes_old_is_accepted(live_server, paid_at_wechat):
    body, headers = notification(paid_resource(paid_at_wechat), timestamp=int(time.time()) - 240)
    assert post_notification(live_server, body, headers).status_code == 204
    assert fresh(Payment, paid_at_wechat.id).status == PaymentStatus.PAID


@pytest.mark.parametrize("changes", [
    {"amount": {"total": 1, "payer_total": 1, "currency": "CNY", "payer_currency": "CNY"}},
    {"amount": {"total": 1990, "payer_total": 1, "currency": "CNY", "payer_currency": "CNY"}},
    {"amount": {"total": "1990", "payer_total": 1990, "currency": "CNY"}},
], ids=["total", "payer_total", "total_as_text"])
def test_a_genuine_notification_with_a_wrong_amount_does_not_mark_paid(live_server, paid_at_wechat, caplog, changes):
    body, headers = notification(paid_resource(paid_at_wechat, **changes))
    answer = post_notification(live_server, body, headers)
    _refused(live_server, paid_at_wechat, answer, 400, caplog, "amount_mismatch")


def test_a_wrong_appid_does_not_mark_paid(live_server, paid_at_wechat, caplog):
    body, headers = notification(paid_resource(paid_at_wechat, appid="wxattacker00000001"))
    answer = post_notification(live_server, body, headers)
    _refused(live_server, paid_at_wechat, answer, 400, caplog, "appid_mismatch")


def test_a_wrong_mchid_does_not_mark_paid(live_server, paid_at_wechat, caplog):
    body, headers = notification(paid_resource(paid_at_wechat, mchid="1900000999"))
    answer = post_notification(live_server, body, headers)
    _refused(live_server, paid_at_wechat, answer, 400, caplog, "mchid_mismatch")


def test_a_signed_body_that_is_not_json_is_refused(live_server, paid_at_wechat, caplog):
    body = "<xml><return_code>SUCCESS</return_code></xml>"
    answer = post_notification(live_server, body, signed_headers(body))
    _refused(live_server, paid_at_wechat, answer, 400, caplog, "not a JSON object")


def test_an_unsigned_body_that_is_not_json_is_refused(live_server, paid_at_wechat, caplog):
    answer = post_notification(live_server, b"\xff\xfe not even utf-8", {})
    _refused(live_server, paid_at_wechat, answer, 401, caplog, "unknown platform serial")


def test_an_oversized_body_is_refused_before_it_is_read(live_server, paid_at_wechat, caplog):
    body, headers = notification(paid_resource(paid_at_wechat))
    answer = post_notification(live_server, body + " " * (65 * 1024), headers)
    _refused(live_server, paid_at_wechat, answer, 413, caplog, "body too large")


def test_a_refund_notification_sent_to_the_pay_endpoint_is_refused(live_server, paid_at_wechat, caplog):
    body, headers = notification(paid_resource(paid_at_wechat), original_type="refund")
    answer = post_notification(live_server, body, headers)
    _refused(live_server, paid_at_wechat, answer, 400, caplog, "not a transaction notification")


def test_a_resource_encrypted_with_another_apiv3_key_is_our_problem_and_retried(live_server, paid_at_wechat, caplog):
    resource = encrypt_resource(paid_resource(paid_at_wechat), "transaction", apiv3_key="x" * 32)
    body = notification_body("TRANSACTION.SUCCESS", "支付成功", resource)
    answer = post_notification(live_server, body, signed_headers(body))
    _refused(live_server, paid_at_wechat, answer, 500, caplog, "cannot decrypt")


def test_wechats_signature_probe_is_refused(live_server, paid_at_wechat, caplog):
    """WeChat sometimes sends a WECHATPAY/SIGNTEST/ signature to check that merchants verify."""
    body, headers = notification(paid_resource(paid_at_wechat))
    headers["Wechatpay-Signature"] = "WECHATPAY/SIGNTEST/" + headers["Wechatpay-Signature"]
    answer = post_notification(live_server, body, headers)
    _refused(live_server, paid_at_wechat, answer, 401, caplog, "signature does not verify")


def test_an_oversized_chunked_body_with_no_length_is_refused(live_server, paid_at_wechat, caplog):
    body, headers = notification(paid_resource(paid_at_wechat))
    chunks = (part.encode() for part in [body, " " * (40 * 1024), " " * (40 * 1024)])
    answer = post_notification(live_server, chunks, headers)
    _refused(live_server, paid_at_wechat, answer, 413, caplog, "body too large")
