"""A JSAPI prepay through the sandbox gives the mini-program what wx.requestPayment needs."""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path

import pytest
import requests
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.serialization import load_pem_public_key
from wechatpayv3.type import RequestType

from app.payments.errors import PaymentError, PaymentErrorCode
from app.payments.models import Payment
from app.payments.states import PaymentStatus
from app.wechat import pay
from app.wechat.pay import PayApiError
from tests.pay_helpers import fresh, shopper, simulate, start_payment


def _verifies(public_key_path: str, message: str, signature: str) -> bool:
    key = load_pem_public_key(Path(public_key_path).read_bytes())
    try:
        key.verify(base64.b64decode(signature), message.encode(), PKCS1v15(), SHA256())
        return True
    except InvalidSignature:
        return False


def test_prepay_returns_request_payment_params_signed_with_the_merchant_key(live_app, live_server):
    # given a shopper
    user = shopper()
    # when they start paying 19.90 yuan for an order
    prompt = start_payment(user, 1990)
    # then the mini-program gets the five wx.requestPayment parameters
    params = prompt.params
    assert set(params) == {"timeStamp", "nonceStr", "package", "signType", "paySign"}
    assert params["signType"] == "RSA" and params["package"] == f"prepay_id={prompt.payment.prepay_id}"
    # and paySign is the merchant key's signature over appId, timeStamp, nonceStr, package
    appid = live_app.config["WECHAT_MP_APPID"]
    message = f"{appid}\n{params['timeStamp']}\n{params['nonceStr']}\n{params['package']}\n"
    assert _verifies(live_app.config["SANDBOX_MERCHANT_PUBLIC_KEY_PATH"], message, params["paySign"])
    assert not _verifies(live_app.config["SANDBOX_MERCHANT_PUBLIC_KEY_PATH"], message + "x", params["paySign"])
    # and the payment is recorded unpaid, under our appid and mchid, with a short unique number
    payment = fresh(Payment, prompt.payment.id)
    assert payment.status == PaymentStatus.UNPAID and payment.amount_fen == 1990
    assert (payment.appid, payment.mchid) == pay.merchant() and len(payment.out_trade_no) <= 32
    assert live_server.sandbox.records["pay_transactions"][payment.out_trade_no]["total"] == 1990


def test_asking_again_reuses_the_same_prepay(live_app, live_server):
    user = shopper()
    first = start_payment(user, 500, subject_id=7)
    again = start_payment(user, 500, subject_id=7)
    assert again.payment.id == first.payment.id
    assert again.params["package"] == first.params["package"]
    assert live_server.sandbox.calls["pay.jsapi"] == 1


def test_a_changed_amount_closes_the_old_prepay_before_making_a_new_one(live_app, live_server):
    user = shopper()
    first = start_payment(user, 500, subject_id=8)
    second = start_payment(user, 450, subject_id=8)
    assert second.payment.id != first.payment.id
    assert fresh(Payment, first.payment.id).status == PaymentStatus.CLOSED
    assert live_server.sandbox.records["pay_transactions"][first.payment.out_trade_no]["trade_state"] == "CLOSED"


def test_a_paid_subject_cannot_be_paid_again(live_app, live_server):
    user = shopper()
    first = start_payment(user, 500, subject_id=9)
    simulate(live_server, "pay/success", out_trade_no=first.payment.out_trade_no)
    with pytest.raises(PaymentError) as refused:
        start_payment(user, 500, subject_id=9)
    assert refused.value.error_code == PaymentErrorCode.ALREADY_PAID


def test_a_shopper_who_paid_just_before_a_changed_amount_is_not_charged_twice(live_app, live_server):
    # given a payment the shopper completed, whose notification has not arrived yet
    user = shopper()
    first = start_payment(user, 500, subject_id=10)
    simulate(live_server, "pay/success", out_trade_no=first.payment.out_trade_no, notify=False)
    # when the amount changes: closing the old prepay fails because WeChat says it is paid
    with pytest.raises(PaymentError) as refused:
        start_payment(user, 450, subject_id=10)
    # then no second prepay is made
    assert refused.value.error_code == PaymentErrorCode.ALREADY_PAID
    assert live_server.sandbox.calls["pay.jsapi"] == 1


@pytest.mark.parametrize("amount", [0, -1])
def test_an_amount_below_one_fen_is_refused_before_calling_wechat(live_app, live_server, amount):
    with pytest.raises(PaymentError) as refused:
        start_payment(shopper(), amount)
    assert refused.value.error_code == PaymentErrorCode.INVALID_AMOUNT and refused.value.status == 422
    assert live_server.sandbox.calls["pay.jsapi"] == 0


def test_the_sandbox_refuses_a_duplicate_out_trade_no_with_other_params(live_app, live_server):
    user = shopper()
    prompt = start_payment(user, 500)
    with pytest.raises(PayApiError) as refused:
        pay.jsapi_prepay(out_trade_no=prompt.payment.out_trade_no, description="别的", amount_fen=501,
                         openid=user.mp_openid)
    assert (refused.value.status, refused.value.code) == (400, "INVALID_REQUEST")


def test_the_sandbox_refuses_a_zero_amount_like_wechat(live_app, live_server):
    with pytest.raises(PayApiError) as refused:
        pay._call("jsapi", pay.client()._core.request, "/v3/pay/transactions/jsapi", method=RequestType.POST,
                  data={"appid": live_app.config["WECHAT_MP_APPID"], "mchid": live_app.config["WECHAT_PAY_MCHID"],
                        "description": "x", "out_trade_no": "P000000000001", "notify_url": pay.notify_url("pay"),
                        "amount": {"total": 0}, "payer": {"openid": "dev_alice"}})
    assert (refused.value.status, refused.value.code) == (400, "PARAM_ERROR")


def test_the_sandbox_refuses_an_unsigned_or_badly_signed_request(live_app, live_server):
    url = f"{live_server.url}/sandbox/mch/v3/pay/transactions/jsapi"
    unsigned = requests.post(url, json={"amount": {"total": 1}}, timeout=10)
    assert unsigned.status_code == 401 and unsigned.json()["code"] == "SIGN_ERROR"
    header = ('WECHATPAY2-SHA256-RSA2048 mchid="{m}",nonce_str="abc",signature="{s}",timestamp="{t}",'
              'serial_no="{n}"').format(m=live_app.config["WECHAT_PAY_MCHID"], s=base64.b64encode(b"x" * 256).decode(),
                                        t=int(time.time()), n=live_app.config["WECHAT_PAY_CERT_SERIAL_NO"])
    forged = requests.post(url, data=json.dumps({"amount": {"total": 1}}), timeout=10,
                           headers={"Authorization": header, "Content-Type": "application/json"})
    assert forged.status_code == 401 and forged.json()["code"] == "SIGN_ERROR"
