"""Numbering payments' rows (and re-exporting the row lock), and checking WeChat's word against ours."""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from flask_babel import gettext as _

from app.core.locking import locked  # noqa: F401  (payments' callers import it from here)
from app.core.models import utcnow
from app.payments.errors import PaymentError, PaymentErrorCode
from app.wechat.pay import PayApiError, PayUnavailable

PURPOSE = re.compile(r"^[a-z]{1,16}$")


def new_number(prefix: str) -> str:
    """A short, unique, sortable number WeChat accepts: e.g. P20261127081808 + 12 hex = 27 chars."""
    return f"{prefix}{utcnow():%Y%m%d%H%M%S}{secrets.token_hex(6)}"


def check_purpose(purpose: str) -> None:
    if not PURPOSE.match(purpose):
        raise ValueError(f"purpose must be 1-16 lowercase letters, not {purpose!r}")


def check_amount(amount_fen: int) -> None:
    if isinstance(amount_fen, bool) or not isinstance(amount_fen, int) or amount_fen <= 0:
        raise PaymentError(PaymentErrorCode.INVALID_AMOUNT, _("The amount must be at least one fen."),
                           fields={"amount_fen": _("Must be at least one fen.")})


def whole_fen(value: Any) -> int | None:
    """An integer amount from WeChat's JSON, or None if it is not one."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def mismatch(code: PaymentErrorCode) -> PaymentError:
    return PaymentError(code, _("The message from WeChat Pay does not match our record."))


def expect(condition: bool, code: PaymentErrorCode) -> None:
    if not condition:
        raise mismatch(code)


def as_payment_error(exc: PayApiError) -> PaymentError:
    """WeChat Pay's refusal as our error (the edge then rolls back: no half-made change)."""
    if isinstance(exc, PayUnavailable):
        return PaymentError(PaymentErrorCode.WECHAT_PAY_UNAVAILABLE,
                            _("WeChat Pay is temporarily unavailable, please try again."))
    return PaymentError(PaymentErrorCode.WECHAT_PAY_REJECTED,
                        _("WeChat Pay refused the request: %(reason)s", reason=exc.message or exc.code))


@contextmanager
def calling_wechat() -> Iterator[None]:
    try:
        yield
    except PayApiError as exc:
        raise as_payment_error(exc) from exc
