"""Sandbox WeChat Pay refunds: apply and query, checked against the paid transaction."""

from __future__ import annotations

import re
import secrets
from typing import Any

from flask import current_app

from app.wechat.sandbox import bp
from app.wechat.sandbox.pay import json_body, merchant_api, state, text, transactions, whole
from app.wechat.sandbox.pay_signing import beijing_now, pay_error, signed_response
from app.wechat.sandbox.state import Area

OUT_REFUND_NO = re.compile(r"^[0-9A-Za-z_\-|*@]{1,64}$")


def refunds() -> Area:
    return state().records["pay_refunds"]


def refund_view(record: dict[str, Any]) -> dict[str, Any]:
    view = {key: record[key] for key in ("refund_id", "out_refund_no", "transaction_id", "out_trade_no",
                                         "create_time", "status")}
    view.update(channel="ORIGINAL", user_received_account="支付用户零钱", funds_account="AVAILABLE",
                amount={"total": record["total"], "refund": record["refund"], "payer_total": record["total"],
                        "payer_refund": record["refund"], "settlement_total": record["total"],
                        "settlement_refund": record["refund"], "discount_refund": 0, "currency": "CNY"})
    if record["success_time"]:
        view["success_time"] = record["success_time"]
    return view


def _problem(body: dict[str, Any]) -> str | None:
    amount = body.get("amount")
    checks = [
        ("out_refund_no", isinstance(body.get("out_refund_no"), str) and OUT_REFUND_NO.match(body["out_refund_no"])),
        ("out_trade_no", text(body.get("out_trade_no"), 32) or text(body.get("transaction_id"), 32)),
        ("amount.refund", isinstance(amount, dict) and whole(amount.get("refund")) and amount["refund"] > 0),
        ("amount.total", isinstance(amount, dict) and whole(amount.get("total")) and amount["total"] > 0),
        ("amount.currency", isinstance(amount, dict) and amount.get("currency") == "CNY"),
        ("reason", body.get("reason") is None or text(body.get("reason"), 80)),
        ("notify_url", body.get("notify_url") is None or text(body.get("notify_url"), 256)),
    ]
    return next((field for field, ok in checks if not ok), None)


def _transaction(body: dict[str, Any]) -> dict[str, Any] | None:
    if body.get("transaction_id"):
        return next((r for r in transactions().values() if r["transaction_id"] == body["transaction_id"]), None)
    return transactions().get(body.get("out_trade_no", ""))


@bp.post("/mch/v3/refund/domestic/refunds")
@merchant_api("refund")
def apply_refund():
    body = json_body()
    if body is None:
        return pay_error(400, "PARAM_ERROR", "请求体不是合法的 JSON 对象")
    field = _problem(body)
    if field:
        return pay_error(400, "PARAM_ERROR", f"{field} 参数错误", field=field)
    found = _transaction(body)
    if found is None:
        return pay_error(404, "RESOURCE_NOT_EXISTS", "订单不存在")
    refund_fen, total = body["amount"]["refund"], body["amount"]["total"]

    def decide(values: list[dict[str, Any] | None]):
        """(a refusal or None, the refund) and the writes: the refund and its transaction together."""
        trade, existing = values
        if trade["trade_state"] not in ("SUCCESS", "REFUND"):
            return (pay_error(400, "INVALID_REQUEST", "订单未支付，不能退款"), None), []
        if total != trade["total"]:
            return (pay_error(400, "INVALID_REQUEST", "订单金额与原订单金额不一致"), None), []
        if existing is not None:
            if (existing["out_trade_no"], existing["refund"]) != (trade["out_trade_no"], refund_fen):
                return (pay_error(400, "INVALID_REQUEST", "退款单号重复，但退款参数不一致"), None), []
            return (None, existing), []
        if trade["refunded"] + refund_fen > trade["total"]:
            return (pay_error(400, "INVALID_REQUEST", "申请退款金额超过订单可退金额"), None), []
        record = {
            "refund_id": "50" + "".join(secrets.choice("0123456789") for _ in range(27)),
            "out_refund_no": body["out_refund_no"], "transaction_id": trade["transaction_id"],
            "out_trade_no": trade["out_trade_no"], "mchid": current_app.config["WECHAT_PAY_MCHID"],
            "create_time": beijing_now(), "status": "PROCESSING", "success_time": None,
            "refund": refund_fen, "total": trade["total"], "reason": body.get("reason") or "",
            "notify_url": body.get("notify_url"),
        }
        trade = {**trade, "refunded": trade["refunded"] + refund_fen, "trade_state": "REFUND"}
        return (None, record), [(refunds(), record["out_refund_no"], record, None),
                                (transactions(), trade["out_trade_no"], trade, None)]

    refusal, record = state().atomically([(transactions(), found["out_trade_no"]), (refunds(), body["out_refund_no"])],
                                         decide)
    return refusal if refusal is not None else signed_response(refund_view(record))


@bp.get("/mch/v3/refund/domestic/refunds/<out_refund_no>")
@merchant_api("query_refund")
def query_refund(out_refund_no: str):
    record = refunds().get(out_refund_no)
    if record is None:
        return pay_error(404, "RESOURCE_NOT_EXISTS", "退款单不存在")
    return signed_response(refund_view(record))
