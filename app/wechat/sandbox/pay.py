"""Sandbox WeChat Pay: JSAPI prepay, query and close, as api.mch.weixin.qq.com answers them.

State lives in SandboxState.records["pay_transactions"] (out_trade_no -> transaction, in
Redis, shared by every worker), which the simulate actions change, each change atomic. Every
request must be signed by the merchant key (401 SIGN_ERROR otherwise) and every answer is
signed with the platform key.
"""

from __future__ import annotations

import functools
import re
import secrets
from collections.abc import Callable
from datetime import datetime
from typing import Any

from flask import current_app, request

from app.wechat.sandbox import bp
from app.wechat.sandbox.pay_signing import beijing_now, pay_error, signature_error, signed_response
from app.wechat.sandbox.state import Area, SandboxState

OUT_TRADE_NO = re.compile(r"^[0-9A-Za-z_\-|*]{6,32}$")


def state() -> SandboxState:
    return current_app.extensions["wechat_sandbox"]


def transactions() -> Area:
    return state().records["pay_transactions"]


def merchant_api(name: str) -> Callable:
    """Count the call and refuse it with 401 SIGN_ERROR unless the merchant signed it."""

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            state().count(f"pay.{name}")
            error = signature_error()
            if error:
                return pay_error(401, "SIGN_ERROR", error)
            return view(*args, **kwargs)

        return wrapper

    return decorator


def json_body() -> dict[str, Any] | None:
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else None


def whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def text(value: Any, longest: int) -> bool:
    return isinstance(value, str) and 0 < len(value) <= longest


def _jsapi_problem(body: dict[str, Any]) -> tuple[str, str] | None:
    amount, payer = body.get("amount"), body.get("payer")
    checks = [
        ("appid", text(body.get("appid"), 32)),
        ("mchid", text(body.get("mchid"), 32)),
        ("description", text(body.get("description"), 127)),
        ("out_trade_no", isinstance(body.get("out_trade_no"), str) and OUT_TRADE_NO.match(body["out_trade_no"])),
        ("notify_url", text(body.get("notify_url"), 255) and body["notify_url"].startswith(("https://", "http://"))),
        ("amount", isinstance(amount, dict)),
        ("amount.total", isinstance(amount, dict) and whole(amount.get("total")) and amount["total"] > 0),
        ("amount.currency", isinstance(amount, dict) and amount.get("currency", "CNY") == "CNY"),
        ("payer.openid", isinstance(payer, dict) and text(payer.get("openid"), 128)),
        ("attach", body.get("attach") is None or text(body.get("attach"), 128)),
        ("time_expire", body.get("time_expire") is None or _rfc3339(body["time_expire"])),
    ]
    for field, ok in checks:
        if not ok:
            return field, f"{field} 参数错误"
    return None


def _rfc3339(value: Any) -> bool:
    try:
        return isinstance(value, str) and datetime.fromisoformat(value).tzinfo is not None
    except ValueError:
        return False


def _same_order(record: dict[str, Any], body: dict[str, Any]) -> bool:
    return (record["appid"], record["description"], record["total"], record["openid"]) == (
        body["appid"], body["description"], body["amount"]["total"], body["payer"]["openid"])


@bp.post("/mch/v3/pay/transactions/jsapi")
@merchant_api("jsapi")
def jsapi():
    body = json_body()
    if body is None:
        return pay_error(400, "PARAM_ERROR", "请求体不是合法的 JSON 对象")
    problem = _jsapi_problem(body)
    if problem:
        return pay_error(400, "PARAM_ERROR", problem[1], field=problem[0])
    config = current_app.config
    if body["mchid"] != config["WECHAT_PAY_MCHID"]:
        return pay_error(400, "INVALID_REQUEST", "请求的商户号与签名的商户号不一致")
    if body["appid"] not in (config["WECHAT_MP_APPID"], config["WECHAT_OA_APPID"]):
        return pay_error(400, "INVALID_REQUEST", "appid和mch_id不匹配")

    def prepare(record: dict[str, Any] | None):
        """(a refusal or None, the transaction) and the record to store (None: unchanged)."""
        if record is not None:
            if record["trade_state"] in ("SUCCESS", "REFUND"):
                return (pay_error(400, "ORDERPAID", "该订单已支付"), record), None
            if record["trade_state"] == "CLOSED":
                return (pay_error(400, "ORDER_CLOSED", "该订单已关闭"), record), None
            if not _same_order(record, body):
                return (pay_error(400, "INVALID_REQUEST", "201 商户订单号重复"), record), None
            return (None, record), None
        record = {
            "appid": body["appid"], "mchid": body["mchid"], "out_trade_no": body["out_trade_no"],
            "description": body["description"], "notify_url": body["notify_url"], "attach": body.get("attach"),
            "total": body["amount"]["total"], "openid": body["payer"]["openid"],
            "prepay_id": f"wx{datetime.now():%d%H%M%S}{secrets.token_hex(13)}",
            "trade_state": "NOTPAY", "transaction_id": None, "success_time": None, "refunded": 0,
            "created_at": beijing_now(),
        }
        return (None, record), record

    refusal, record = transactions().change(body["out_trade_no"], prepare)
    return refusal if refusal is not None else signed_response({"prepay_id": record["prepay_id"]})


STATE_DESC = {"NOTPAY": "订单未支付", "SUCCESS": "支付成功", "CLOSED": "已关闭", "REFUND": "转入退款"}


def transaction_view(record: dict[str, Any]) -> dict[str, Any]:
    """A transaction as the query API and the paid notification show it."""
    view: dict[str, Any] = {
        "appid": record["appid"], "mchid": record["mchid"], "out_trade_no": record["out_trade_no"],
        "trade_state": record["trade_state"], "trade_state_desc": STATE_DESC[record["trade_state"]],
        "amount": {"total": record["total"], "currency": "CNY"},
    }
    if record["attach"]:
        view["attach"] = record["attach"]
    if record["transaction_id"]:
        view.update(transaction_id=record["transaction_id"], trade_type="JSAPI", bank_type="OTHERS",
                    success_time=record["success_time"], payer={"openid": record["openid"]})
        view["amount"].update(payer_total=record["total"], payer_currency="CNY")
    return view


def _query(record: dict[str, Any] | None):
    if request.args.get("mchid") != current_app.config["WECHAT_PAY_MCHID"]:
        return pay_error(400, "PARAM_ERROR", "mchid 参数错误", field="mchid")
    if record is None:
        return pay_error(404, "ORDER_NOT_EXIST", "订单不存在")
    return signed_response(transaction_view(record))


@bp.get("/mch/v3/pay/transactions/out-trade-no/<out_trade_no>")
@merchant_api("query")
def query_by_out_trade_no(out_trade_no: str):
    return _query(transactions().get(out_trade_no))


@bp.get("/mch/v3/pay/transactions/id/<transaction_id>")
@merchant_api("query")
def query_by_transaction_id(transaction_id: str):
    found = [r for r in transactions().values() if r["transaction_id"] == transaction_id]
    return _query(found[0] if found else None)


@bp.post("/mch/v3/pay/transactions/out-trade-no/<out_trade_no>/close")
@merchant_api("close")
def close(out_trade_no: str):
    body = json_body()
    if body is None or body.get("mchid") != current_app.config["WECHAT_PAY_MCHID"]:
        return pay_error(400, "PARAM_ERROR", "mchid 参数错误", field="mchid")

    def close_it(record: dict[str, Any] | None):
        if record is None:
            return pay_error(404, "ORDER_NOT_EXIST", "订单不存在"), None
        if record["trade_state"] in ("SUCCESS", "REFUND"):
            return pay_error(400, "ORDERPAID", "订单已支付"), None
        return None, {**record, "trade_state": "CLOSED"}

    refusal = transactions().change(out_trade_no, close_it)
    return refusal if refusal is not None else signed_response(None, 204)
