"""What a commission ledger entry is about, in the merchant's words: the order whose commission
moved, or the withdrawal that held, paid or returned it (an entry's `key` is only for replays)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select

from app.distribution.commission_models import CommissionEntry, CommissionLine
from app.distribution.ledger import EntryKind
from app.distribution.withdrawal_models import Withdrawal
from app.extensions import db
from app.orders.models import Order

WITHDRAWAL_KINDS = frozenset({EntryKind.WITHDRAW_HOLD, EntryKind.WITHDRAW_PAID, EntryKind.WITHDRAW_RETURN})


@dataclass(frozen=True)
class EntryReference:
    kind: str  # order | withdrawal
    id: int
    number: str  # the order number or withdrawal number people see


def references(entries: Iterable[CommissionEntry]) -> dict[int, EntryReference]:
    """entry id -> its order or withdrawal (two queries for a whole page of entries)."""
    entries = list(entries)
    line_ids = {entry.line_id for entry in entries if entry.line_id}
    withdrawal_ids = {int(entry.ref) for entry in entries if entry.kind in WITHDRAWAL_KINDS and entry.ref.isdigit()}
    orders = {line_id: (order_id, order_no) for line_id, order_id, order_no in db.session.execute(
        select(CommissionLine.id, Order.id, Order.order_no).join(Order, Order.id == CommissionLine.order_id)
        .where(CommissionLine.id.in_(line_ids)))} if line_ids else {}  # the two columns shown, not whole orders
    withdrawals = {row.id: row for row in db.session.scalars(
        select(Withdrawal).where(Withdrawal.id.in_(withdrawal_ids)))} if withdrawal_ids else {}
    found: dict[int, EntryReference] = {}
    for entry in entries:
        if entry.line_id in orders:
            order_id, order_no = orders[entry.line_id]
            found[entry.id] = EntryReference("order", order_id, order_no)
        elif entry.kind in WITHDRAWAL_KINDS and entry.ref.isdigit() and int(entry.ref) in withdrawals:
            withdrawal = withdrawals[int(entry.ref)]
            found[entry.id] = EntryReference("withdrawal", withdrawal.id, withdrawal.withdrawal_no)
    return found
