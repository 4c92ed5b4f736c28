"""Helpers for the full-reduction tests: an activity made through the console's use case."""

from __future__ import annotations

import itertools
from datetime import timedelta

from app.audit.services import SYSTEM
from app.core.models import utcnow
from app.extensions import db
from app.marketing import full_reductions

_names = itertools.count(1)


def tier(threshold: int, off_fen: int = 0, *, rate: int = 10_000, free_shipping: bool = False, points: int = 0):
    return {"threshold": threshold, "off_fen": off_fen, "pay_rate_bp": rate, "free_shipping": free_shipping,
            "points": points}


def activity(*tiers: dict, basis: str = "amount", scope: str = "all", scope_ids=(), started_ago=timedelta(hours=1),
             lasts=timedelta(days=7), enabled: bool = True, name: str | None = None):
    starts = utcnow() - started_ago
    row = full_reductions.create_activity(SYSTEM, {
        "name": name or f"满减活动{next(_names)}", "starts_at": starts, "ends_at": starts + lasts, "scope": scope,
        "scope_ids": list(scope_ids), "basis": basis, "is_enabled": enabled, "tiers": list(tiers)})
    db.session.commit()
    return row
