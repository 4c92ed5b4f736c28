"""Why the payments domain refuses something: codes as an Enum, raised as PaymentError."""

from __future__ import annotations

from enum import StrEnum

from app.core.errors import DomainError


class PaymentErrorCode(StrEnum):
    PAYMENT_NOT_FOUND = "payment_not_found"
    REFUND_NOT_FOUND = "refund_not_found"
    TRANSFER_NOT_FOUND = "transfer_not_found"
    INVALID_AMOUNT = "invalid_amount"
    ALREADY_PAID = "already_paid"
    PAYMENT_IN_PROGRESS = "payment_in_progress"
    NOT_REFUNDABLE = "not_refundable"
    REFUND_EXCEEDS_PAID = "refund_exceeds_paid"
    TRANSFER_IN_PROGRESS = "transfer_in_progress"
    # A genuine WeChat message or answer that disagrees with our own record.
    APPID_MISMATCH = "appid_mismatch"
    MCHID_MISMATCH = "mchid_mismatch"
    AMOUNT_MISMATCH = "amount_mismatch"
    PAYER_MISMATCH = "payer_mismatch"
    STATE_CONFLICT = "state_conflict"
    WECHAT_PAY_REJECTED = "wechat_pay_rejected"
    WECHAT_PAY_UNAVAILABLE = "wechat_pay_unavailable"


_STATUS = {
    PaymentErrorCode.PAYMENT_NOT_FOUND: 404,
    PaymentErrorCode.REFUND_NOT_FOUND: 404,
    PaymentErrorCode.TRANSFER_NOT_FOUND: 404,
    PaymentErrorCode.INVALID_AMOUNT: 422,
    PaymentErrorCode.ALREADY_PAID: 409,
    PaymentErrorCode.PAYMENT_IN_PROGRESS: 409,
    PaymentErrorCode.NOT_REFUNDABLE: 409,
    PaymentErrorCode.REFUND_EXCEEDS_PAID: 409,
    PaymentErrorCode.TRANSFER_IN_PROGRESS: 409,
    PaymentErrorCode.APPID_MISMATCH: 400,
    PaymentErrorCode.MCHID_MISMATCH: 400,
    PaymentErrorCode.AMOUNT_MISMATCH: 400,
    PaymentErrorCode.PAYER_MISMATCH: 400,
    PaymentErrorCode.STATE_CONFLICT: 409,
    PaymentErrorCode.WECHAT_PAY_REJECTED: 409,
    PaymentErrorCode.WECHAT_PAY_UNAVAILABLE: 503,
}

# Codes that mean "this message contradicts our record": it changes nothing and is logged.
MISMATCHES = frozenset({PaymentErrorCode.APPID_MISMATCH, PaymentErrorCode.MCHID_MISMATCH,
                        PaymentErrorCode.AMOUNT_MISMATCH, PaymentErrorCode.PAYER_MISMATCH,
                        PaymentErrorCode.STATE_CONFLICT})


class PaymentError(DomainError):
    def __init__(self, code: PaymentErrorCode, message: str, *, fields: dict[str, str] | None = None) -> None:
        super().__init__(message, code=code.value, status=_STATUS[code], fields=fields)
        self.error_code = code
