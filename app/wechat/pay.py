"""WeChat Pay API v3 through wechatpayv3: prepay, query, close, refund, merchant transfer.

Plain values in, plain dicts (WeChat's own JSON) out. The client is built once per app in
"platform public key" mode (no certificate download) and pointed at WECHAT_PAY_BASE_URL,
which in sandbox mode is our own /sandbox/mch. Errors: PayUnavailable when a retry may
work (network, 5xx, rate limit, an answer whose signature does not verify), PayApiError when
WeChat refused for good.
"""

from __future__ import annotations

import json
import logging
import secrets
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from flask import current_app
from wechatpayv3 import WeChatPay, WeChatPayType

from app.core.china_time import BEIJING, beijing_iso

log = logging.getLogger(__name__)

RETRYABLE_CODES = frozenset({"SYSTEM_ERROR", "SYSTEMERROR", "FREQUENCY_LIMITED", "BANK_ERROR"})
NOT_FOUND_CODES = frozenset({"ORDER_NOT_EXIST", "ORDERNOTEXIST", "RESOURCE_NOT_EXISTS", "NOT_FOUND"})
NOTIFY_PATHS = {"pay": "/wechat/pay/notify", "refund": "/wechat/pay/refund-notify",
                "transfer": "/wechat/pay/transfer-notify"}


class PayApiError(Exception):
    """WeChat Pay answered with an error (`code` and `message` are WeChat's)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message = status, code, message


class PayUnavailable(PayApiError):
    """No usable answer: worth retrying later (the same out_*_no makes a retry safe)."""


def platform_key(config: Any) -> tuple[str, str]:
    """The platform public key PEM and the serial WeChat signs with: the public key id, or
    the serial of a platform certificate when WECHAT_PAY_PUBLIC_KEY_PATH holds one."""
    pem = Path(config["WECHAT_PAY_PUBLIC_KEY_PATH"]).read_text()
    if "BEGIN CERTIFICATE" in pem:
        certificate = x509.load_pem_x509_certificate(pem.encode())
        public_pem = certificate.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
        return public_pem, f"{certificate.serial_number:X}"
    return pem, config["WECHAT_PAY_PUBLIC_KEY_ID"]


def notify_url(kind: str) -> str:
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + NOTIFY_PATHS[kind]


def merchant() -> tuple[str, str]:
    """(appid, mchid) payments are made under: the mini-program and our merchant number."""
    return current_app.config["WECHAT_MP_APPID"], current_app.config["WECHAT_PAY_MCHID"]


def client() -> WeChatPay:
    pay = current_app.extensions.get("wechat_pay")
    if pay is None:
        config = current_app.config
        public_pem, serial = platform_key(config)
        pay = WeChatPay(
            wechatpay_type=WeChatPayType.MINIPROG, mchid=config["WECHAT_PAY_MCHID"],
            private_key=Path(config["WECHAT_PAY_PRIVATE_KEY_PATH"]).read_text(),
            cert_serial_no=config["WECHAT_PAY_CERT_SERIAL_NO"], appid=config["WECHAT_MP_APPID"],
            apiv3_key=config["WECHAT_PAY_APIV3_KEY"], notify_url=notify_url("pay"),
            public_key=public_pem, public_key_id=serial, timeout=config["WECHAT_HTTP_TIMEOUT"])
        pay._core._gate_way = config["WECHAT_PAY_BASE_URL"].rstrip("/")
        current_app.extensions["wechat_pay"] = pay
    return pay


def _call(api: str, send, *args: Any, **kwargs: Any) -> dict[str, Any]:
    try:
        status, text = send(*args, **kwargs)
    except requests.RequestException as exc:
        log.warning("wechat pay %s: no answer (%s)", api, type(exc).__name__)
        raise PayUnavailable(0, "NETWORK_ERROR", type(exc).__name__) from exc
    except Exception as exc:  # wechatpayv3 raises bare Exception, e.g. for an answer signed wrongly
        log.error("wechat pay %s: unusable answer: %s", api, exc)
        raise PayUnavailable(0, "BAD_ANSWER", str(exc)) from exc
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    try:
        payload = json.loads(text) if text else {}
    except ValueError:
        payload = {}
    if 200 <= status < 300:
        return payload
    code, message = str(payload.get("code") or status), str(payload.get("message") or "")
    log.info("wechat pay %s answered %s %s", api, status, code)
    if status >= 500 or status == 429 or code in RETRYABLE_CODES:
        raise PayUnavailable(status, code, message)
    raise PayApiError(status, code, message)


def _or_none(api: str, send, *args: Any) -> dict[str, Any] | None:
    try:
        return _call(api, send, *args)
    except PayApiError as exc:
        if exc.status == 404 or exc.code in NOT_FOUND_CODES:
            return None
        raise


def rfc3339(moment: datetime) -> str:
    """A naive-UTC datetime as WeChat writes times: Beijing time with its offset."""
    return beijing_iso(moment)


def parse_time(text: str | None) -> datetime | None:
    """WeChat's RFC 3339 time as naive UTC (how we store times); None if absent or malformed."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=BEIJING)
    return moment.astimezone(UTC).replace(tzinfo=None)



# -- payments ---------------------------------------------------------------------------
def jsapi_prepay(*, out_trade_no: str, description: str, amount_fen: int, openid: str,
                 expires_at: datetime | None = None) -> str:
    result = _call("jsapi", client().pay, description=description, out_trade_no=out_trade_no,
                   amount={"total": amount_fen, "currency": "CNY"}, payer={"openid": openid},
                   time_expire=rfc3339(expires_at) if expires_at else None, pay_type=WeChatPayType.MINIPROG)
    if not result.get("prepay_id"):
        raise PayUnavailable(200, "BAD_ANSWER", "no prepay_id")
    return result["prepay_id"]


def request_payment_params(prepay_id: str) -> dict[str, str]:
    """What the mini-program passes to wx.requestPayment, signed with the merchant key over
    "appId\\ntimeStamp\\nnonceStr\\npackage\\n" as WeChat's JSAPI/mini-program doc says."""
    appid, _mchid = merchant()
    timestamp, nonce, package = str(int(time.time())), secrets.token_hex(16), f"prepay_id={prepay_id}"
    return {"timeStamp": timestamp, "nonceStr": nonce, "package": package, "signType": "RSA",
            "paySign": client().sign([appid, timestamp, nonce, package])}


def query_transaction(out_trade_no: str) -> dict[str, Any] | None:
    return _or_none("query", client().query, None, out_trade_no)


def close_transaction(out_trade_no: str) -> None:
    _call("close", client().close, out_trade_no)


# -- refunds ----------------------------------------------------------------------------
def create_refund(*, out_refund_no: str, out_trade_no: str, refund_fen: int, total_fen: int,
                  reason: str) -> dict[str, Any]:
    return _call("refund", client().refund, out_refund_no=out_refund_no, out_trade_no=out_trade_no,
                 amount={"refund": refund_fen, "total": total_fen, "currency": "CNY"},
                 reason=reason or None, notify_url=notify_url("refund"))


def query_refund(out_refund_no: str) -> dict[str, Any] | None:
    return _or_none("query_refund", client().query_refund, out_refund_no)


# -- merchant transfers (商家转账) -----------------------------------------------------------
def create_transfer_bill(*, out_bill_no: str, openid: str, amount_fen: int, remark: str, scene_id: str,
                         report_infos: list[dict[str, str]]) -> dict[str, Any]:
    return _call("transfer", client().mch_transfer_bills, out_bill_no=out_bill_no, transfer_scene_id=scene_id,
                 openid=openid, transfer_amount=amount_fen, transfer_remark=remark,
                 transfer_scene_report_infos=report_infos, notify_url=notify_url("transfer"))


def query_transfer_bill(out_bill_no: str) -> dict[str, Any] | None:
    return _or_none("query_transfer", client().mch_transfer_bills_query, out_bill_no)


def merchant_transfer_params(package_info: str, openid: str) -> dict[str, str]:
    """What the mini-program passes to wx.requestMerchantTransfer."""
    appid, mchid = merchant()
    return {"mchId": mchid, "appId": appid, "package": package_info, "openId": openid}
