"""Every allowed status change of payments, refunds and transfers, in one place.

`move()` is the only way a status changes: it checks the table, then updates with the old
status in the WHERE clause (compare-and-set), so of two transactions racing on one row only
one makes the change, even on SQLite where `with_for_update()` does not lock.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from sqlalchemy import update

from app.core.models import utcnow
from app.extensions import db


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


class IllegalTransition(Exception):
    def __init__(self, table: str, current: str, wanted: str) -> None:
        super().__init__(f"{table}: {current} -> {wanted} is not allowed")
        self.current, self.wanted = current, wanted


def can_move(table: str, current: str, wanted: str) -> bool:
    return wanted in TRANSITIONS[table].get(current, frozenset())


def move(row: Any, wanted: str, **values: Any) -> bool:
    """Change `row`'s status to `wanted` (and set `values`) if nobody changed it first.

    True if this call made the change; False if another transaction had already moved the
    row (it is then reloaded, so the caller sees the winner's state).
    """
    model = type(row)
    table = model.__tablename__
    if not can_move(table, row.status, wanted):
        raise IllegalTransition(table, row.status, wanted)
    db.session.flush()
    result = db.session.execute(
        update(model)
        .where(model.id == row.id, model.status == row.status)
        .values(status=wanted, updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(row, with_for_update=True)  # the latest committed row, even under REPEATABLE READ
    return result.rowcount == 1
