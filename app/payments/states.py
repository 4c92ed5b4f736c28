"""Every allowed status change of payments, refunds and transfers, in one place.

`move()` is the only way a status changes (compare-and-set, `app.core.state_machine`).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l

from app.core import state_machine
from app.core.labels import labels
from app.core.state_machine import IllegalTransition  # noqa: F401  (callers catch it from here)


class PaymentStatus(StrEnum):
    UNPAID = "unpaid"
    PAID = "paid"
    CLOSED = "closed"


class RefundStatus(StrEnum):
    PENDING = "pending"  # recorded, amount reserved, not yet accepted by WeChat
    PROCESSING = "processing"
    SUCCEEDED = "succeeded"
    ABNORMAL = "abnormal"  # WeChat could not credit the shopper; needs the merchant
    CLOSED = "closed"  # WeChat closed it: nothing was refunded
    FAILED = "failed"  # WeChat refused the request: nothing was refunded


class TransferStatus(StrEnum):
    PENDING = "pending"  # recorded, not yet accepted by WeChat
    WAIT_USER_CONFIRM = "wait_user_confirm"
    PROCESSING = "processing"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


PAYMENT_STATUS_LABELS = labels(PaymentStatus, {
    PaymentStatus.UNPAID: _l("Unpaid"), PaymentStatus.PAID: _l("Paid"), PaymentStatus.CLOSED: _l("Closed"),
})
REFUND_STATUS_LABELS = labels(RefundStatus, {
    RefundStatus.PENDING: _l("Refund submitting"), RefundStatus.PROCESSING: _l("Refund in progress"),
    RefundStatus.SUCCEEDED: _l("Refunded"), RefundStatus.ABNORMAL: _l("Refund abnormal"),
    RefundStatus.CLOSED: _l("Refund closed"), RefundStatus.FAILED: _l("Refund failed"),
})
TRANSFER_STATUS_LABELS = labels(TransferStatus, {
    TransferStatus.PENDING: _l("Transfer submitting"),
    TransferStatus.WAIT_USER_CONFIRM: _l("Waiting for the agent to confirm"),
    TransferStatus.PROCESSING: _l("Transfer in progress"), TransferStatus.SUCCEEDED: _l("Transferred"),
    TransferStatus.FAILED: _l("Transfer failed"), TransferStatus.CANCELLED: _l("Transfer cancelled"),
})

PAYMENT_TRANSITIONS: dict[str, frozenset[str]] = {
    PaymentStatus.UNPAID: frozenset({PaymentStatus.PAID, PaymentStatus.CLOSED}),
    # WeChat's word wins: money it says was taken after we closed is recorded (then refunded).
    PaymentStatus.CLOSED: frozenset({PaymentStatus.PAID}),
    PaymentStatus.PAID: frozenset(),
}

REFUND_TRANSITIONS: dict[str, frozenset[str]] = {
    RefundStatus.PENDING: frozenset({RefundStatus.PROCESSING, RefundStatus.SUCCEEDED, RefundStatus.ABNORMAL,
                                     RefundStatus.CLOSED, RefundStatus.FAILED}),
    RefundStatus.PROCESSING: frozenset({RefundStatus.SUCCEEDED, RefundStatus.ABNORMAL, RefundStatus.CLOSED}),
    RefundStatus.ABNORMAL: frozenset({RefundStatus.SUCCEEDED, RefundStatus.CLOSED}),
    RefundStatus.SUCCEEDED: frozenset(),
    RefundStatus.CLOSED: frozenset(),
    RefundStatus.FAILED: frozenset(),
}

_TRANSFER_OPEN = (TransferStatus.WAIT_USER_CONFIRM, TransferStatus.PROCESSING)
_TRANSFER_ENDS = (TransferStatus.SUCCEEDED, TransferStatus.FAILED, TransferStatus.CANCELLED)
TRANSFER_TRANSITIONS: dict[str, frozenset[str]] = {
    TransferStatus.PENDING: frozenset({*_TRANSFER_OPEN, *_TRANSFER_ENDS}),
    TransferStatus.WAIT_USER_CONFIRM: frozenset({TransferStatus.PROCESSING, *_TRANSFER_ENDS}),
    TransferStatus.PROCESSING: frozenset({TransferStatus.WAIT_USER_CONFIRM, *_TRANSFER_ENDS}),
    TransferStatus.SUCCEEDED: frozenset(),
    TransferStatus.FAILED: frozenset(),
    TransferStatus.CANCELLED: frozenset(),
}

# Refunds that hold part of the payment: everything except those that refunded nothing.
REFUND_HOLDS_AMOUNT = frozenset({RefundStatus.PENDING, RefundStatus.PROCESSING, RefundStatus.SUCCEEDED,
                                 RefundStatus.ABNORMAL})

TRANSITIONS: dict[str, dict[str, frozenset[str]]] = {
    "payments": PAYMENT_TRANSITIONS,
    "refunds": REFUND_TRANSITIONS,
    "transfers": TRANSFER_TRANSITIONS,
}


def can_move(table: str, current: str, wanted: str) -> bool:
    return state_machine.can_move(TRANSITIONS, table, current, wanted)


def move(row: Any, wanted: str, **values: Any) -> bool:
    """Change a payment, refund or transfer's status; see `app.core.state_machine.move`."""
    return state_machine.move(TRANSITIONS, row, wanted, **values)
