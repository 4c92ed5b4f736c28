"""Simulate actions: WeChat Pay tells the app a payment, refund or transfer happened.

Each changes the sandbox's record, then POSTs a notification signed with the platform key
and encrypted with the APIv3 key to the notify_url the app gave, over HTTP, and returns
what the app answered. `"notify": false` changes the record without telling the app (a lost
notification, for the reconcile job to find). Calling one again re-sends the notification,
as WeChat's retries do. The console's WeChat simulator calls the same functions
(`pay_success`, `refund_success`, `finish_transfer`, `holdings`).

    curl -s -X POST localhost:5000/sandbox/simulate/pay/success -H 'Content-Type: application/json' \\
         -d '{"out_trade_no": "P20261127081808a1b2c3d4e5f6"}'
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

import requests
from flask import jsonify, request

from app.wechat.sandbox import bp
from app.wechat.sandbox.pay import transaction_view, transactions
from app.wechat.sandbox.pay_refunds import refunds
from app.wechat.sandbox.pay_signing import (
    beijing_now,
    encrypt_resource,
    notification_body,
    signed_headers,
)
from app.wechat.sandbox.pay_transfers import bill_view, transfers

NOTIFY_TIMEOUT = 10


def transaction_notification(record: dict[str, Any]) -> tuple[str, dict[str, str]]:
    body = notification_body("TRANSACTION.SUCCESS", "支付成功",
                             encrypt_resource(transaction_view(record), "transaction"))
    return body, signed_headers(body)


def refund_notification(record: dict[str, Any]) -> tuple[str, dict[str, str]]:
    resource = {key: record[key] for key in ("mchid", "out_trade_no", "transaction_id", "out_refund_no",
                                             "refund_id")}
    resource.update(refund_status=record["status"], user_received_account="支付用户零钱",
                    amount={"total": record["total"], "refund": record["refund"], "payer_total": record["total"],
                            "payer_refund": record["refund"]})
    if record["success_time"]:
        resource["success_time"] = record["success_time"]
    event = {"SUCCESS": ("REFUND.SUCCESS", "退款成功"), "CLOSED": ("REFUND.CLOSED", "退款关闭")}.get(
        record["status"], ("REFUND.ABNORMAL", "退款异常"))
    body = notification_body(*event, encrypt_resource(resource, "refund"))
    return body, signed_headers(body)


def transfer_notification(record: dict[str, Any]) -> tuple[str, dict[str, str]]:
    body = notification_body("MCHTRANSFER.BILL.FINISHED", "商家转账单据终态通知",
                             encrypt_resource(bill_view(record), "mch_payment"))
    return body, signed_headers(body)


def deliver(notify_url: str, body: str, headers: dict[str, str]) -> dict[str, Any]:
    """POST a notification as WeChat does and report the app's answer."""
    try:
        answer = requests.post(notify_url, data=body.encode(), timeout=NOTIFY_TIMEOUT,
                               headers={**headers, "Content-Type": "application/json"})
    except requests.RequestException as exc:
        return {"notify_url": notify_url, "delivered": False, "error": type(exc).__name__}
    return {"notify_url": notify_url, "delivered": True, "app_status": answer.status_code, "app_body": answer.text}


class SimulateRefused(Exception):
    """The sandbox cannot do that: no such record (404) or a closed transaction (409)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _not_found(what: str, number: str) -> SimulateRefused:
    return SimulateRefused(404, f"no sandbox {what} {number!r}")


def pay_success(out_trade_no: str, *, notify: bool = True) -> dict[str, Any]:
    """The shopper paid: the transaction succeeds and WeChat notifies the app."""

    def pay(record: dict[str, Any] | None):
        if record is None:
            raise _not_found("transaction", out_trade_no)
        if record["trade_state"] == "CLOSED":
            raise SimulateRefused(409, "the transaction is closed")
        if record["trade_state"] != "NOTPAY":
            return record, None  # paid already: tell the app again, as WeChat's retries do
        paid = {**record, "trade_state": "SUCCESS", "success_time": beijing_now(),
                "transaction_id": "4200" + "".join(secrets.choice("0123456789") for _ in range(24))}
        return paid, paid

    record = transactions().change(out_trade_no, pay)
    body, headers = transaction_notification(record)
    result = {"out_trade_no": out_trade_no, "transaction_id": record["transaction_id"]}
    if notify:
        result.update(deliver(record["notify_url"], body, headers))
    return result


def refund_success(out_refund_no: str, *, notify: bool = True) -> dict[str, Any]:
    """WeChat finished a refund and notifies the app."""

    def succeed(record: dict[str, Any] | None):
        if record is None:
            raise _not_found("refund", out_refund_no)
        if record["status"] != "PROCESSING":
            return record, None
        done = {**record, "status": "SUCCESS", "success_time": beijing_now()}
        return done, done

    record = refunds().change(out_refund_no, succeed)
    body, headers = refund_notification(record)
    result = {"out_refund_no": out_refund_no, "refund_id": record["refund_id"], "status": record["status"]}
    if notify and record["notify_url"]:
        result.update(deliver(record["notify_url"], body, headers))
    return result


def finish_transfer(out_bill_no: str, final_state: str, fail_reason: str = "", *,
                    notify: bool = True) -> dict[str, Any]:
    """A transfer ends in `final_state` (SUCCESS or FAIL) unless it has ended already."""

    def finish(record: dict[str, Any] | None):
        if record is None:
            raise _not_found("transfer", out_bill_no)
        if record["state"] in ("SUCCESS", "FAIL", "CANCELLED"):
            return record, None
        ended = {**record, "state": final_state, "fail_reason": fail_reason, "update_time": beijing_now()}
        return ended, ended

    record = transfers().change(out_bill_no, finish)
    body, headers = transfer_notification(record)
    result = {"out_bill_no": out_bill_no, "transfer_bill_no": record["transfer_bill_no"], "state": record["state"]}
    if notify and record["notify_url"]:
        result.update(deliver(record["notify_url"], body, headers))
    return result


def holdings() -> dict[str, list[dict[str, Any]]]:
    """Copies of every transaction, refund and transfer the sandbox holds, oldest first."""
    return {"transactions": transactions().values(), "refunds": refunds().values(), "transfers": transfers().values()}


def _wanted(field: str) -> tuple[str, bool]:
    body = request.get_json(silent=True)
    body = body if isinstance(body, dict) else {}
    return str(body.get(field) or request.args.get(field) or ""), body.get("notify", True) is not False


def _answer(action: Callable[[], dict[str, Any]]):
    try:
        return jsonify(action())
    except SimulateRefused as refusal:
        return jsonify(error=refusal.message), refusal.status


@bp.post("/simulate/pay/success")
def simulate_pay_success():
    """The shopper paid: the transaction succeeds and WeChat notifies the app."""
    out_trade_no, notify = _wanted("out_trade_no")
    return _answer(lambda: pay_success(out_trade_no, notify=notify))


@bp.post("/simulate/refund/success")
def simulate_refund_success():
    """WeChat finished a refund and notifies the app."""
    out_refund_no, notify = _wanted("out_refund_no")
    return _answer(lambda: refund_success(out_refund_no, notify=notify))


@bp.post("/simulate/transfer/success")
def simulate_transfer_success():
    """The receiver confirmed and the money arrived."""
    out_bill_no, notify = _wanted("out_bill_no")
    return _answer(lambda: finish_transfer(out_bill_no, "SUCCESS", notify=notify))


@bp.post("/simulate/transfer/fail")
def simulate_transfer_fail():
    """The transfer failed (body may name a fail_reason, default ACCOUNT_FROZEN)."""
    out_bill_no, notify = _wanted("out_bill_no")
    body = request.get_json(silent=True)
    reason = body.get("fail_reason") if isinstance(body, dict) else None
    return _answer(lambda: finish_transfer(out_bill_no, "FAIL", str(reason or "ACCOUNT_FROZEN")[:64], notify=notify))


@bp.get("/pay")
def pay_records():
    """What the sandbox's WeChat Pay holds, newest last: the numbers the simulate actions take (a
    transaction's prepay_id lets a client holding only wx.requestPayment's package find it)."""
    held = holdings()
    return jsonify(
        transactions=[{k: r.get(k) for k in ("out_trade_no", "prepay_id", "trade_state", "total", "transaction_id")}
                      for r in held["transactions"]],
        refunds=[{k: r[k] for k in ("out_refund_no", "out_trade_no", "status", "refund")} for r in held["refunds"]],
        transfers=[{k: r.get(k) for k in ("out_bill_no", "state", "transfer_amount", "package_info")}
                   for r in held["transfers"]],
    )
