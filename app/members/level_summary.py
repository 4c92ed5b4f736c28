"""What the shopper sees of their member level: where they stand, how far the next level is,
what each level gives, and their growth and level history as JSON-ready dicts."""

from __future__ import annotations

from flask_babel import gettext as _

from app.core.china_time import beijing_iso
from app.core.labels import label
from app.core.money import BASIS_POINTS
from app.extensions import db
from app.members import queries
from app.members.growth_models import LevelChange
from app.members.models import GrowthEntry, MemberLevel
from app.members.services import wallet_of


def benefits_of(level: MemberLevel) -> dict:
    """A level's benefits, as numbers and as the words the mini-program shows."""
    words = []
    if level.discount_bp < BASIS_POINTS:
        words.append(_("%(n)s/10 of the price", n=f"{level.discount_bp / 1000:g}"))
    if level.points_multiplier_bp > BASIS_POINTS:
        words.append(_("%(n)s× points", n=f"{level.points_multiplier_bp / BASIS_POINTS:g}"))
    if level.free_shipping:
        words.append(_("Free delivery"))
    if level.monthly_coupon_template_id is not None:
        words.append(_("A coupon every month"))
    return {"discount_bp": level.discount_bp, "points_multiplier_bp": level.points_multiplier_bp,
            "free_shipping": level.free_shipping, "monthly_coupon": level.monthly_coupon_template_id is not None,
            "words": words, "text": level.benefits}


def level_out(level: MemberLevel) -> dict:
    return {"id": level.id, "name": level.name, "growth_threshold": level.growth_threshold,
            "badge_url": level.badge_url, "benefits": benefits_of(level)}


def ladder() -> list[MemberLevel]:
    return list(db.session.scalars(queries.levels_by_growth()))


def my_level(user_id: int) -> dict:
    """The shopper's level, growth, and the next level up the growth ladder with how much
    growth it still takes (none at the top, or on a level given by hand)."""
    wallet = wallet_of(user_id)
    level = wallet.level
    steps = ladder()
    floor = level.growth_threshold if level is not None else None
    following = None
    if level is None or floor is not None:
        following = next((step for step in steps if step.growth_threshold > wallet.growth
                          and (floor is None or step.growth_threshold > floor)), None)
    return {"growth": wallet.growth, "level": level_out(level) if level else None,
            "next_level": level_out(following) if following else None,
            "growth_to_next": max(following.growth_threshold - wallet.growth, 0) if following else None}


def entry_out(entry: GrowthEntry) -> dict:
    return {"id": entry.id, "kind": entry.kind, "kind_label": label(entry.kind, "GrowthKind"), "delta": entry.delta,
            "growth_after": entry.growth_after, "created_at": beijing_iso(entry.created_at)}


def change_out(change: LevelChange) -> dict:
    return {"id": change.id, "from_level": change.from_name or None, "to_level": change.to_name or None,
            "cause": change.cause, "cause_label": label(change.cause, "LevelChangeCause"), "growth": change.growth,
            "created_at": beijing_iso(change.created_at)}


def levels_out() -> list[dict]:
    return [level_out(level) for level in ladder()]
