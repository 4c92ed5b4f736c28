"""The growth ledger and level changes of one shopper, newest first: statements the console's
and the API's keyset pages read down the (user_id, id) indexes."""

from __future__ import annotations

from sqlalchemy import Select, select

from app.members.growth_models import LevelChange
from app.members.models import GrowthEntry, MemberLevel


def entries(user_id: int) -> Select:
    """The changes (a refund of an order that earned nothing is booked at 0 and left out)."""
    return (select(GrowthEntry).where(GrowthEntry.user_id == user_id, GrowthEntry.delta != 0)
            .order_by(GrowthEntry.id.desc()))


def level_changes(user_id: int) -> Select:
    return select(LevelChange).where(LevelChange.user_id == user_id).order_by(LevelChange.id.desc())


def levels_by_growth() -> Select:
    """The levels reached by growth, lowest threshold first (the ladder the shopper climbs)."""
    return (select(MemberLevel).where(MemberLevel.growth_threshold.is_not(None))
            .order_by(MemberLevel.growth_threshold, MemberLevel.id))
