"""The WeChat simulator's pay side (sandbox mode only): the merchant plays WeChat Pay.

Lists what the sandbox's WeChat Pay holds next to our own rows, and finishes payments,
refunds and transfers through the sandbox's simulate functions, which POST the signed and
encrypted notification to our notify endpoints; the answer shows what those endpoints said.
Test payments, refunds and transfers (purpose "test") give the merchant something to try
before orders and withdrawals exist.
"""

from __future__ import annotations

import re
from typing import Any

from flask import jsonify, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.accounts import services as accounts
from app.accounts.models import User
from app.admin import bp
from app.admin.security import area
from app.admin.views.simulator import sandbox_only
from app.core.errors import Conflict, NotFound, ValidationError
from app.core.money import yuan_to_fen
from app.core.validation import json_object
from app.extensions import db
from app.payments import refunds as refund_service
from app.payments import services as payment_service
from app.payments import transfers as transfer_service
from app.payments.models import Payment, Refund, Transfer
from app.payments.states import PaymentStatus
from app.wechat.sandbox.identities import DEV_NAME
from app.wechat.sandbox.simulate_pay import (
    SimulateRefused,
    finish_transfer,
    holdings,
    pay_success,
    refund_success,
)

TEST_PURPOSE = "test"
SHOWN = 50  # the newest records of each kind
YUAN = re.compile(r"^\d{1,6}(\.\d{1,2})?$")

OUR_STATUS = {
    "unpaid": _l("Unpaid"), "paid": _l("Paid"), "closed": _l("Closed"), "pending": _l("Pending"),
    "processing": _l("Processing"), "succeeded": _l("Succeeded"), "abnormal": _l("Abnormal"),
    "failed": _l("Failed"), "wait_user_confirm": _l("Waiting for the receiver"), "cancelled": _l("Cancelled"),
}
WECHAT_STATE = {
    "NOTPAY": _l("Not paid"), "SUCCESS": _l("Succeeded"), "CLOSED": _l("Closed"), "REFUND": _l("Refunded"),
    "PROCESSING": _l("Processing"), "ABNORMAL": _l("Abnormal"), "WAIT_USER_CONFIRM": _l("Waiting for the receiver"),
    "FAIL": _l("Failed"), "CANCELLED": _l("Cancelled"),
}
PURPOSES = {TEST_PURPOSE: _l("Test"), "order": _l("Order"), "withdrawal": _l("Withdrawal")}


@bp.get("/simulator/pay")
@area("finance")
@sandbox_only
def simulator_pay():
    return render_template("admin/simulator_pay.html")


# -- the list ------------------------------------------------------------------------------
def _by_number(model: Any, column: Any, numbers: list[str]) -> dict[str, Any]:
    if not numbers:
        return {}
    return {getattr(row, column.key): row for row in db.session.scalars(select(model).where(column.in_(numbers)))}


def _nicknames(user_ids: set[int]) -> dict[int, str]:
    if not user_ids:
        return {}
    return dict(db.session.execute(select(User.id, User.nickname).where(User.id.in_(user_ids))).all())


def _ours(row: Any, nicknames: dict[int, str]) -> dict[str, Any] | None:
    if row is None:
        return None
    return {"status": row.status, "status_label": str(OUR_STATUS.get(row.status, row.status)),
            "purpose": row.purpose, "purpose_label": str(PURPOSES.get(row.purpose, row.purpose)),
            "is_test": row.purpose == TEST_PURPOSE, "user": nicknames.get(row.user_id, "")}


def _wechat(state: str) -> dict[str, str]:
    return {"state": state, "label": str(WECHAT_STATE.get(state, state))}


@bp.get("/simulator/api/pay")
@area("finance")
@sandbox_only
def simulator_pay_records():
    """The sandbox's transactions, refunds and transfers, newest first, with our rows."""
    held = {kind: records[::-1][:SHOWN] for kind, records in holdings().items()}
    payments = _by_number(Payment, Payment.out_trade_no, [r["out_trade_no"] for r in held["transactions"]])
    refunds = _by_number(Refund, Refund.out_refund_no, [r["out_refund_no"] for r in held["refunds"]])
    transfers = _by_number(Transfer, Transfer.out_bill_no, [r["out_bill_no"] for r in held["transfers"]])
    refund_payments = {row.payment_id for row in refunds.values()}
    payments_by_id = {p.id: p for p in payments.values()}
    missing = refund_payments - set(payments_by_id)
    if missing:
        payments_by_id.update({p.id: p for p in db.session.scalars(select(Payment).where(Payment.id.in_(missing)))})
    nicknames = _nicknames({row.user_id for row in [*payments_by_id.values(), *transfers.values()]})

    def payment_row(record: dict[str, Any]) -> dict[str, Any]:
        ours = payments.get(record["out_trade_no"])
        view = _ours(ours, nicknames)
        if ours is not None:
            view["refundable_fen"] = refund_service.refundable_fen(ours) if ours.status == PaymentStatus.PAID else 0
        return {"number": record["out_trade_no"], "description": record["description"],
                "amount_fen": record["total"], "created": record["created_at"],
                "wechat": _wechat(record["trade_state"]), "ours": view}

    def refund_row(record: dict[str, Any]) -> dict[str, Any]:
        ours = refunds.get(record["out_refund_no"])
        payment = payments_by_id.get(ours.payment_id) if ours else None
        view = _ours(payment, nicknames)
        if view is not None and ours is not None:
            view.update(status=ours.status, status_label=str(OUR_STATUS.get(ours.status, ours.status)))
        return {"number": record["out_refund_no"], "payment": record["out_trade_no"], "reason": record["reason"],
                "amount_fen": record["refund"], "created": record["create_time"],
                "wechat": _wechat(record["status"]), "ours": view}

    def transfer_row(record: dict[str, Any]) -> dict[str, Any]:
        ours = transfers.get(record["out_bill_no"])
        return {"number": record["out_bill_no"], "remark": record["transfer_remark"],
                "amount_fen": record["transfer_amount"], "created": record["create_time"],
                "fail_reason": record["fail_reason"], "wechat": _wechat(record["state"]),
                "ours": _ours(ours, nicknames)}

    return jsonify(payments=[payment_row(r) for r in held["transactions"]],
                   refunds=[refund_row(r) for r in held["refunds"]],
                   transfers=[transfer_row(r) for r in held["transfers"]])


# -- WeChat Pay's side: finish what is pending ----------------------------------------------
def _number(data: dict[str, Any], field: str) -> str:
    value = data.get(field)
    if not isinstance(value, str) or not 0 < len(value) <= 64:
        raise ValidationError(_("Some fields are invalid."), fields={field: _("This field is required.")})
    return value


def _notify(data: dict[str, Any]) -> bool:
    value = data.get("notify", True)
    if not isinstance(value, bool):
        raise ValidationError(_("Some fields are invalid."), fields={"notify": _("Must be true or false.")})
    return value


def _notification(result: dict[str, Any], wanted: bool) -> dict[str, Any]:
    """What our notify endpoint answered, if the sandbox told it anything."""
    if not wanted:
        return {"sent": False}
    if "delivered" not in result:
        return {"sent": False, "no_url": True}
    if not result["delivered"]:
        return {"sent": True, "delivered": False, "ok": False, "error": result.get("error", "")}
    status = result["app_status"]
    return {"sent": True, "delivered": True, "ok": 200 <= status < 300, "status": status,
            "body": result["app_body"][:500]}


def _simulate(action, number: str, wanted: bool, model: Any, column: Any) -> Any:
    db.session.commit()  # hold nothing (no lock, no stale snapshot) while our notify endpoint writes
    try:
        result = action()
    except SimulateRefused as refusal:
        if refusal.status == 404:
            raise NotFound(_("The sandbox has no such record.")) from refusal
        raise Conflict(_("WeChat Pay has closed this payment.")) from refusal
    db.session.commit()
    row = db.session.scalar(select(model).where(column == number))
    ours = None if row is None else {"status": row.status, "status_label": str(OUR_STATUS.get(row.status, row.status))}
    return jsonify(number=number, notification=_notification(result, wanted), ours=ours)


@bp.post("/simulator/api/pay/pay-success")
@area("finance")
@sandbox_only
def simulator_pay_success():
    data = json_object()
    number, notify = _number(data, "out_trade_no"), _notify(data)
    return _simulate(lambda: pay_success(number, notify=notify), number, notify, Payment, Payment.out_trade_no)


@bp.post("/simulator/api/pay/refund-success")
@area("finance")
@sandbox_only
def simulator_refund_success():
    data = json_object()
    number, notify = _number(data, "out_refund_no"), _notify(data)
    return _simulate(lambda: refund_success(number, notify=notify), number, notify, Refund, Refund.out_refund_no)


@bp.post("/simulator/api/pay/transfer-success")
@area("finance")
@sandbox_only
def simulator_transfer_success():
    data = json_object()
    number, notify = _number(data, "out_bill_no"), _notify(data)
    return _simulate(lambda: finish_transfer(number, "SUCCESS", notify=notify), number, notify,
                     Transfer, Transfer.out_bill_no)


@bp.post("/simulator/api/pay/transfer-fail")
@area("finance")
@sandbox_only
def simulator_transfer_fail():
    data = json_object()
    number, notify = _number(data, "out_bill_no"), _notify(data)
    return _simulate(lambda: finish_transfer(number, "FAIL", "ACCOUNT_FROZEN", notify=notify), number, notify,
                     Transfer, Transfer.out_bill_no)


# -- our side: test records and asking WeChat ----------------------------------------------
def _amount_fen(data: dict[str, Any], field: str = "amount") -> int:
    text = data.get(field)
    fen = yuan_to_fen(text) if isinstance(text, str) and YUAN.match(text.strip()) else 0
    if fen <= 0:
        raise ValidationError(_("Some fields are invalid."), fields={field: _("Enter an amount like 12.50.")})
    return fen


def _dev_user(data: dict[str, Any]) -> User:
    name = data.get("name")
    if not isinstance(name, str) or not DEV_NAME.match(name.strip()):
        raise ValidationError(_("Some fields are invalid."),
                              fields={"name": _("Letters, digits, _ and - only (at most 32).")})
    return accounts.dev_login(name.strip())


def _next_subject(model: Any) -> int:
    latest = db.session.scalar(select(func.max(model.subject_id)).where(model.purpose == TEST_PURPOSE))
    return (latest or 0) + 1


@bp.post("/simulator/api/pay/test-payment")
@area("finance")
@sandbox_only
def simulator_test_payment():
    """A JSAPI payment of a dev user for nothing in particular (purpose "test")."""
    data = json_object()
    amount_fen, user = _amount_fen(data), _dev_user(data)
    prompt = payment_service.create_jsapi_payment(
        user_id=user.id, openid=user.mp_openid or "", amount_fen=amount_fen,
        description=_("[Test] WeChat simulator payment"), purpose=TEST_PURPOSE, subject_id=_next_subject(Payment))
    db.session.commit()
    return jsonify(number=prompt.payment.out_trade_no), 201


@bp.post("/simulator/api/pay/test-refund")
@area("finance")
@sandbox_only
def simulator_test_refund():
    """Refund what is left of a paid test payment (only test payments: real ones are refunded
    from their order)."""
    data = json_object()
    number = _number(data, "out_trade_no")
    payment = db.session.scalar(select(Payment).where(Payment.out_trade_no == number))
    if payment is None or payment.purpose != TEST_PURPOSE:
        raise NotFound(_("Only test payments can be refunded here."))
    left = refund_service.refundable_fen(payment)
    amount_fen = _amount_fen(data) if data.get("amount") else left
    row = refund_service.refund(payment.id, amount_fen, _("WeChat simulator test refund"))
    db.session.commit()  # the refund is submitted to WeChat after this commit
    return jsonify(number=row.out_refund_no), 201


@bp.post("/simulator/api/pay/test-transfer")
@area("finance")
@sandbox_only
def simulator_test_transfer():
    """A merchant transfer to a dev user (purpose "test"), waiting for them to confirm."""
    data = json_object()
    amount_fen, user = _amount_fen(data), _dev_user(data)
    prompt = transfer_service.create_transfer(
        user_id=user.id, openid=user.mp_openid or "", amount_fen=amount_fen, remark=_("Simulator test transfer"),
        purpose=TEST_PURPOSE, subject_id=_next_subject(Transfer))
    db.session.commit()
    return jsonify(number=prompt.transfer.out_bill_no), 201


@bp.post("/simulator/api/pay/query")
@area("finance")
@sandbox_only
def simulator_query():
    """Ask WeChat Pay about a payment or a transfer, as reconciliation does when no
    notification came."""
    data = json_object()
    if data.get("out_trade_no"):
        number = _number(data, "out_trade_no")
        row = payment_service.query_payment(number)
    else:
        number = _number(data, "out_bill_no")
        transfer = db.session.scalar(select(Transfer).where(Transfer.out_bill_no == number))
        if transfer is None:
            raise NotFound(_("The requested resource does not exist."))
        row = transfer_service.query_transfer(transfer.id)
    db.session.commit()
    return jsonify(number=number, ours={"status": row.status,
                                        "status_label": str(OUR_STATUS.get(row.status, row.status))})
