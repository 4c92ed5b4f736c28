"""The shopper's points detail: balance, what expires when, and the ledger newest first with
each row's reason in Chinese (a page down the (user_id, id) index)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select

from app.core.china_time import beijing_iso
from app.marketing import points_expiry, points_rules
from app.members.models import WALLET_CHANGE_LABELS, PointsEntry
from app.members.services import wallet_of


def summary(user_id: int) -> dict[str, Any]:
    held = wallet_of(user_id).points
    rules = points_rules.current()
    return {"balance": held, "expiring": points_expiry.expiring(user_id, held),
            "deduction_enabled": rules.deduction_enabled, "points_per_yuan": rules.points_per_yuan,
            "earning_enabled": rules.earning_enabled, "earn_points_per_yuan": rules.earn_points_per_yuan}


def entries_of(user_id: int) -> Select:
    return select(PointsEntry).where(PointsEntry.user_id == user_id).order_by(PointsEntry.id.desc())


def entry_out(entry: PointsEntry) -> dict[str, Any]:
    return {"id": entry.id, "kind": entry.kind, "label": str(WALLET_CHANGE_LABELS.get(entry.kind, entry.kind)),
            "reason": entry.reason, "delta": entry.delta, "points_after": entry.points_after,
            "created_at": beijing_iso(entry.created_at)}
