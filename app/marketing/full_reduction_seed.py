"""Demo full-reduction activities: the whole shop's 满99减10 / 满199减30, and fresh food's
满2件9折 / 满3件8折包邮 by count — a food line joins whichever saves the shopper more."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.audit.services import SYSTEM
from app.catalog.models import Category
from app.core.models import utcnow
from app.extensions import db
from app.marketing import full_reductions
from app.marketing.full_reduction_models import FullReductionActivity

FOOD = "食品生鲜"


def _activities() -> list[dict]:
    start = utcnow() - timedelta(days=1)
    food = db.session.scalar(select(Category.id).where(Category.name == FOOD, Category.parent_id.is_(None)))
    whole_shop = {"name": "全店满减", "scope": "all", "scope_ids": [], "basis": "amount", "tiers": [
        {"threshold": 9900, "off_fen": 1000}, {"threshold": 19900, "off_fen": 3000}]}
    fresh_food = {"name": "生鲜多买多折", "scope": "categories", "scope_ids": [food] if food else [], "basis": "count",
                  "tiers": [{"threshold": 2, "pay_rate_bp": 9000},
                            {"threshold": 3, "pay_rate_bp": 8000, "free_shipping": True}]}
    return [{**values, "starts_at": start, "ends_at": start + timedelta(days=366), "is_enabled": True}
            for values in (whole_shop, fresh_food) if values["scope"] == "all" or values["scope_ids"]]


def seed_full_reductions() -> list[str]:
    """Create the demo activities missing by name (safe to run again)."""
    created = 0
    for values in _activities():
        if db.session.scalar(select(FullReductionActivity.id).where(FullReductionActivity.name == values["name"])):
            continue
        full_reductions.create_activity(SYSTEM, values)
        created += 1
    db.session.flush()
    return [f"full-reduction activities: {created} created"]
