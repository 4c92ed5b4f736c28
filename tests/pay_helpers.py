"""Helpers for the WeChat Pay tests: a shopper, a payment made through the sandbox, notifications
built and signed the way WeChat builds them, and a record of the events the domain published."""

from __future__ import annotations

import itertools
from typing import Any

import requests

from app.accounts.models import User
from app.core.events import subscribe
from app.core.jobs import job
from app.extensions import db
from app.payments.models import Payment
from app.payments.services import PaymentPrompt, create_jsapi_payment
from app.wechat.sandbox.pay import transaction_view, transactions
from app.wechat.sandbox.pay_signing import encrypt_resource, notification_body, signed_headers

published: list[tuple[str, int]] = []
_subjects = itertools.count(1000)


def _recorder(event: str):
    @subscribe(event)
    @job("default")
    def record(row_id: int) -> None:
        published.append((event, row_id))

    record.__qualname__ = record.__name__ = "record_" + event.replace(".", "_")
    globals()[record.__name__] = record
    return record


for _event in ("payment.succeeded", "payment.closed", "refund.succeeded", "refund.failed", "transfer.succeeded",
               "transfer.failed"):
    _recorder(_event)


def shopper(name: str = "alice") -> User:
    user = User(mp_openid=f"dev_{name}", nickname=name, is_test=True)
    db.session.add(user)
    db.session.commit()
    return user


def start_payment(user: User, amount_fen: int = 1990, *, subject_id: int | None = None) -> PaymentPrompt:
    """A committed unpaid payment, prepaid at the sandbox."""
    prompt = create_jsapi_payment(user_id=user.id, openid=user.mp_openid, amount_fen=amount_fen,
                                  description="测试商品", purpose="order",
                                  subject_id=next(_subjects) if subject_id is None else subject_id)
    db.session.commit()
    return prompt


def fresh(model: Any, row_id: int) -> Any:
    """The row as committed now (ends the test's own transaction, so no stale snapshot)."""
    db.session.rollback()
    return db.session.get(model, row_id)


def simulate(server, action: str, **body: Any) -> dict[str, Any]:
    answer = requests.post(f"{server.url}/sandbox/simulate/{action}", json=body, timeout=30)
    assert answer.status_code == 200, answer.text
    return answer.json()


def paid_resource(payment: Payment, **changes: Any) -> dict[str, Any]:
    """What WeChat would say about `payment` once paid (after simulate pay/success with notify=false)."""
    resource = transaction_view(transactions()[payment.out_trade_no])
    resource.update(changes)
    return resource


def notification(resource: dict[str, Any], original_type: str = "transaction", **header_options: Any):
    """A notification body and headers; `header_options` go to signed_headers (key, serial, time)."""
    body = notification_body("TRANSACTION.SUCCESS", "支付成功", encrypt_resource(resource, original_type))
    return body, signed_headers(body, **header_options)


def post_notification(server, body: Any, headers: dict[str, str], path: str = "/wechat/pay/notify"):
    """POST like WeChat; `body` may be text, bytes or an iterator of bytes (sent chunked)."""
    data = body.encode() if isinstance(body, str) else body
    return requests.post(f"{server.url}{path}", data=data, timeout=30,
                         headers={**headers, "Content-Type": "application/json"})
