"""WeChat Pay v3 notifications: paid, refunded, transferred.

Answers in WeChat's formats: success is HTTP 204 with no body; failure is 4xx/5xx with
{"code": "FAIL", "message": ...}, which makes WeChat retry on its schedule (up to 15 times
over 24 hours). A notification that fails verification (401), is malformed (400), too big
(413), unknown to us (404) or contradicts our record (400: wrong appid, mchid or amount) is
refused that way: it must not mark anything paid, and refusing rather than acknowledging
keeps WeChat retrying while the logged mismatch is looked into. A replay of one already
applied is acknowledged (204) and changes nothing. Every refusal is logged, without secrets.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from flask import Blueprint, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from app.extensions import db
from app.payments.errors import MISMATCHES, PaymentError
from app.payments.refunds import apply_refund_notification
from app.payments.services import apply_payment_notification
from app.payments.transfers import apply_transfer_notification
from app.wechat.pay_notify import MAX_BODY_BYTES, NotificationRejected, open_notification

log = logging.getLogger(__name__)

bp = Blueprint("pay_notify", __name__, url_prefix="/wechat/pay")

_KINDS: dict[str, tuple[str, str]] = {  # endpoint -> (resource original_type, our number's field)
    "payment": ("transaction", "out_trade_no"),
    "refund": ("refund", "out_refund_no"),
    "transfer": ("mch_payment", "out_bill_no"),
}


@bp.post("/notify")
def payment_notify():
    return _receive("payment", apply_payment_notification)


@bp.post("/refund-notify")
def refund_notify():
    return _receive("refund", apply_refund_notification)


@bp.post("/transfer-notify")
def transfer_notify():
    return _receive("transfer", apply_transfer_notification)


def _receive(kind: str, apply: Callable[[dict[str, Any]], bool]):
    original_type, number_field = _KINDS[kind]
    number = "-"
    try:
        notification = open_notification(request.headers, _body(), original_type=original_type)
        number = str(notification.resource.get(number_field, "-"))[:64]
        changed = apply(notification.resource)
        db.session.commit()
    except NotificationRejected as exc:
        return _fail(kind, number, exc.status, exc.reason)
    except PaymentError as exc:
        level = logging.ERROR if exc.error_code in MISMATCHES else logging.WARNING
        return _fail(kind, number, exc.status, exc.code, level=level)
    except Exception:
        db.session.rollback()
        log.exception("pay %s notification %s: unexpected error", kind, number)
        return jsonify(code="FAIL", message="internal error"), 500
    log.info("pay %s notification %s %s (%s)", kind, number, "applied" if changed else "already applied",
             notification.event_type)
    return "", 204


def _body() -> bytes:
    if (request.content_length or 0) > MAX_BODY_BYTES:
        raise NotificationRejected(413, "body too large")
    # A chunked body has no length: read one byte past the limit to tell "too big" from "just fits".
    request.max_content_length = MAX_BODY_BYTES + 1
    try:
        body = request.get_data(cache=False)
    except RequestEntityTooLarge as exc:
        raise NotificationRejected(413, "body too large") from exc
    if len(body) > MAX_BODY_BYTES:
        raise NotificationRejected(413, "body too large")
    return body


def _fail(kind: str, number: str, status: int, reason: str, *, level: int = logging.WARNING):
    db.session.rollback()
    log.log(level, "pay %s notification %s rejected with %s: %s", kind, number, status, reason)
    return jsonify(code="FAIL", message=reason), status
