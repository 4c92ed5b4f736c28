"""Moving a shopper between member levels, each move written to the level-change log.

Levels with a growth threshold are reached by growth: after every growth change that adds,
the shopper rises to the highest such level their growth reaches (never down: only the
yearly review lowers a level, app/members/level_review.py). A level without a threshold is
the merchant's to give by hand, and a shopper on one is left on it by growth."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.members.growth_models import LevelChange, LevelChangeCause
from app.members.models import MemberLevel, Wallet


def reachable_level(growth: int) -> MemberLevel | None:
    """The highest level whose growth threshold `growth` reaches (None below every one)."""
    return db.session.scalar(select(MemberLevel).where(MemberLevel.growth_threshold.is_not(None),
                                                       MemberLevel.growth_threshold <= max(growth, 0))
                             .order_by(MemberLevel.growth_threshold.desc(), MemberLevel.id.desc()).limit(1))


def move(wallet: Wallet, level: MemberLevel | None, cause: LevelChangeCause,
         staff_id: int | None = None) -> LevelChange | None:
    """Put the (locked) wallet on `level` and log the move; None when it is already there."""
    before = wallet.level
    if (before.id if before else None) == (level.id if level else None):
        return None
    wallet.level = level
    change = LevelChange(user_id=wallet.user_id, from_level_id=before.id if before else None,
                         to_level_id=level.id if level else None, from_name=before.name if before else "",
                         to_name=level.name if level else "", cause=cause, growth=wallet.growth, staff_id=staff_id)
    db.session.add(change)
    db.session.flush()
    return change


def rise(wallet: Wallet) -> LevelChange | None:
    """Upgrade the (locked) wallet to the level its growth reaches, if that is higher."""
    current = wallet.level
    if current is not None and current.growth_threshold is None:
        return None  # a level given by hand: growth does not move it
    reached = reachable_level(wallet.growth)
    if reached is None or (current is not None and reached.growth_threshold <= current.growth_threshold):
        return None
    return move(wallet, reached, LevelChangeCause.GROWTH)
