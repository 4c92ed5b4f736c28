"""Sandbox merchant transfers (商家转账): create a transfer bill and query it.

A new bill waits for the receiver (WAIT_USER_CONFIRM) with a package_info for
wx.requestMerchantTransfer; the simulate actions end it in SUCCESS or FAIL.
"""

from __future__ import annotations

import base64
import re
import secrets
from typing import Any

from flask import current_app

from app.wechat.sandbox import bp
from app.wechat.sandbox.pay import json_body, merchant_api, state, text, whole
from app.wechat.sandbox.pay_signing import beijing_now, pay_error, signed_response
from app.wechat.sandbox.state import Area

OUT_BILL_NO = re.compile(r"^[0-9A-Za-z]{5,32}$")
# The report each scene must carry (转账场景报备信息); other scene ids are refused as not enabled.
SCENE_REPORTS = {"1000": {"活动名称", "奖励说明"}, "1005": {"岗位类型", "报酬说明"}}
NAME_REQUIRED_FROM_FEN = 200_000


def transfers() -> Area:
    return state().records["pay_transfers"]


def bill_view(record: dict[str, Any]) -> dict[str, Any]:
    """A transfer bill as the query API and the finished notification show it."""
    view = {key: record[key] for key in ("out_bill_no", "transfer_bill_no", "appid", "state", "transfer_amount",
                                         "transfer_remark", "openid", "create_time", "update_time")}
    view["mch_id"] = record["mch_id"]
    if record["fail_reason"]:
        view["fail_reason"] = record["fail_reason"]
    return view


def _problem(body: dict[str, Any]) -> str | None:
    reports = body.get("transfer_scene_report_infos")
    kinds = {r.get("info_type") for r in reports if isinstance(r, dict) and text(r.get("info_content"), 32)} \
        if isinstance(reports, list) else set()
    amount = body.get("transfer_amount")
    checks = [
        ("appid", text(body.get("appid"), 32)),
        ("out_bill_no", isinstance(body.get("out_bill_no"), str) and OUT_BILL_NO.match(body["out_bill_no"])),
        ("transfer_scene_id", body.get("transfer_scene_id") in SCENE_REPORTS),
        ("openid", text(body.get("openid"), 64)),
        ("transfer_amount", whole(amount) and amount > 0),
        ("transfer_remark", text(body.get("transfer_remark"), 32)),
        ("user_name", not (whole(amount) and amount >= NAME_REQUIRED_FROM_FEN) or bool(body.get("user_name"))),
        ("notify_url", body.get("notify_url") is None or text(body.get("notify_url"), 256)),
        ("transfer_scene_report_infos", SCENE_REPORTS.get(body.get("transfer_scene_id"), set()) <= kinds),
    ]
    return next((field for field, ok in checks if not ok), None)


def _same_bill(record: dict[str, Any], body: dict[str, Any]) -> bool:
    return (record["openid"], record["transfer_amount"]) == (body["openid"], body["transfer_amount"])


@bp.post("/mch/v3/fund-app/mch-transfer/transfer-bills")
@merchant_api("transfer")
def create_bill():
    body = json_body()
    if body is None:
        return pay_error(400, "PARAM_ERROR", "请求体不是合法的 JSON 对象")
    field = _problem(body)
    if field:
        return pay_error(400, "PARAM_ERROR", f"{field} 参数错误", field=field)
    if body["appid"] not in (current_app.config["WECHAT_MP_APPID"], current_app.config["WECHAT_OA_APPID"]):
        return pay_error(400, "INVALID_REQUEST", "appid和mch_id不匹配")

    def create(record: dict[str, Any] | None):
        """(a refusal or None, the bill) and the bill to store (None: unchanged)."""
        if record is not None:
            if not _same_bill(record, body):
                return (pay_error(400, "INVALID_REQUEST", "商户单号重复，但转账参数不一致"), record), None
            return (None, record), None
        now = beijing_now()
        record = {
            "out_bill_no": body["out_bill_no"], "appid": body["appid"],
            "transfer_bill_no": "1330" + "".join(secrets.choice("0123456789") for _ in range(36)),
            "mch_id": current_app.config["WECHAT_PAY_MCHID"], "state": "WAIT_USER_CONFIRM",
            "transfer_amount": body["transfer_amount"], "transfer_remark": body["transfer_remark"],
            "openid": body["openid"], "notify_url": body.get("notify_url"), "fail_reason": "",
            "package_info": base64.b64encode(secrets.token_bytes(48)).decode(),
            "create_time": now, "update_time": now,
        }
        return (None, record), record

    refusal, record = transfers().change(body["out_bill_no"], create)
    if refusal is not None:
        return refusal
    answer = {key: record[key] for key in ("out_bill_no", "transfer_bill_no", "create_time", "state")}
    if record["state"] == "WAIT_USER_CONFIRM":
        answer["package_info"] = record["package_info"]
    if record["fail_reason"]:
        answer["fail_reason"] = record["fail_reason"]
    return signed_response(answer)


@bp.get("/mch/v3/fund-app/mch-transfer/transfer-bills/out-bill-no/<out_bill_no>")
@merchant_api("query_transfer")
def query_bill(out_bill_no: str):
    record = transfers().get(out_bill_no)
    if record is None:
        return pay_error(404, "NOT_FOUND", "记录不存在")
    return signed_response(bill_view(record))
