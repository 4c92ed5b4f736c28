"""Catching up with WeChat on withdrawals whose merchant transfer never notified us.

A WeChat withdrawal stays `paying` until the transfer's notification says how it ended. If
that notification is lost, the sweep asks WeChat Pay for the bill (the sandbox in embedded
mode) and settles the withdrawal from the answer: paid, or failed with its hold given back.
Both ends are compare-and-set moves with their ledger entries keyed by the withdrawal, so a
replay, a late notification after the sweep, or two sweeps at once change nothing twice.
Scheduled by app/schedule.py, on demand by `flask distribution transfers`.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.core.models import utcnow
from app.distribution import withdrawals
from app.distribution.states import WithdrawalStatus
from app.distribution.withdrawal_models import Withdrawal
from app.extensions import db
from app.payments.transfers import query_transfer


def stuck_withdrawal_ids(older_than: timedelta, limit: int = 1000) -> list[int]:
    """WeChat withdrawals still paying `older_than` after they were approved."""
    return list(db.session.scalars(select(Withdrawal.id).where(
        Withdrawal.status == WithdrawalStatus.PAYING, Withdrawal.transfer_id.is_not(None),
        Withdrawal.reviewed_at <= utcnow() - older_than).order_by(Withdrawal.id).limit(limit)))


def settle_stuck(withdrawal_id: int) -> str:
    """Ask WeChat about the withdrawal's transfer and settle it if the transfer ended; returns
    the withdrawal's status afterwards."""
    withdrawal = db.session.get(Withdrawal, withdrawal_id)
    if withdrawal is None:
        return "missing"
    if withdrawal.status != WithdrawalStatus.PAYING or withdrawal.transfer_id is None:
        return withdrawal.status
    transfer_id = withdrawal.transfer_id
    query_transfer(transfer_id)
    withdrawals.transfer_finished(transfer_id)
    db.session.refresh(withdrawal)
    return withdrawal.status
