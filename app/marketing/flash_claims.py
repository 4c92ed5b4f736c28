"""What an order of a flash item claims in the database, the truth the Redis gate mirrors:
units of the item (`flash_items.sold`) and of the shopper's limits (`flash_holdings` per
scope), each moved by a conditional UPDATE so neither the stock nor a limit is ever passed,
however many orders race. Called by the order hooks in the order's transaction: `claim` when
an order is placed, `release` when it closes unpaid.

Locks are always taken in the same order (the item row, then the shopper's holdings by
scope), and a missing holding row is created without gap locks (app.core.upsert), so
concurrent claims queue on the item row and never deadlock.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select, update

from app.core.errors import Conflict
from app.core.upsert import upsert
from app.extensions import db
from app.marketing.flash_models import ACTIVITY_SCOPE, FlashActivity, FlashHolding, FlashItem
from app.marketing.flash_schedule import Occurrence


class ClaimRefused(Conflict):
    """The item has fewer units left, or the shopper would pass a limit; nothing was written."""


def limits_for(activity: FlashActivity, occurrence: Occurrence) -> dict[str, int]:
    """The shopper's caps by scope for a purchase in this occurrence (0: counted, not capped)."""
    return {occurrence.scope: activity.limit_per_session, ACTIVITY_SCOPE: activity.limit_per_activity}


def _holdings_move(activity_id: int, user_id: int, scope: str, units: int, cap: int) -> bool:
    table = FlashHolding.__table__
    key = {"activity_id": activity_id, "user_id": user_id, "scope": scope}
    if units > 0:  # a release finds the row its claim made
        upsert(db.session.connection(), table, {**key, "units": 0}, lambda _new: {"units": table.c.units})
    condition = [table.c.activity_id == activity_id, table.c.user_id == user_id, table.c.scope == scope]
    if units > 0 and cap > 0:
        condition.append(table.c.units + units <= cap)
    if units < 0:
        condition.append(table.c.units >= -units)
    return db.session.execute(update(table).where(*condition)
                              .values(units=table.c.units + units)).rowcount == 1


def claim(item: FlashItem, user_id: int, quantity: int, occurrence: Occurrence) -> None:
    """Count `quantity` units of the item as the shopper's in this occurrence, or refuse
    (ClaimRefused, code flash_sold_out or flash_over_limit) with nothing written."""
    if quantity <= 0:
        raise ValueError("a claim takes at least one unit")
    activity = item.activity
    with db.session.begin_nested():
        taken = db.session.execute(update(FlashItem).where(FlashItem.id == item.id,
                                                           FlashItem.sold + quantity <= FlashItem.stock)
                                   .values(sold=FlashItem.sold + quantity)
                                   .execution_options(synchronize_session=False)).rowcount == 1
        if not taken:
            raise ClaimRefused(_("Sold out."), code="flash_sold_out")
        for scope, cap in sorted(limits_for(activity, occurrence).items()):
            if not _holdings_move(activity.id, user_id, scope, quantity, cap):
                raise ClaimRefused(_("You have bought as many as this sale allows."), code="flash_over_limit")
    db.session.expire(item, ["sold"])


def release(item: FlashItem, user_id: int, quantity: int, occurrence_scope: str) -> None:
    """Give back what a closed unpaid order claimed (once per order: the caller's close runs
    once). After the activity's unsold stock went back, these units go back to the SKU too,
    so none is lost."""
    from app.marketing.flash_stock import return_to_sku

    if quantity <= 0:
        raise ValueError("a release gives back at least one unit")
    # the activity row first: a stop or end returning the stock at the same moment is then
    # either wholly before this (and the units go to the SKU here) or after (and it returns them)
    returned_at = db.session.scalar(select(FlashActivity.stock_returned_at)
                                    .where(FlashActivity.id == item.activity_id).with_for_update())
    returned = returned_at is not None
    values = {"sold": FlashItem.sold - quantity}
    if returned:
        values["stock"] = FlashItem.stock - quantity
    released = db.session.execute(update(FlashItem).where(FlashItem.id == item.id, FlashItem.sold >= quantity)
                                  .values(**values).execution_options(synchronize_session=False)).rowcount == 1
    db.session.expire(item, ["sold", "stock"])
    if not released:
        return
    if returned:
        return_to_sku(item.sku_id, quantity)
    for scope in sorted({occurrence_scope, ACTIVITY_SCOPE}):
        _holdings_move(item.activity_id, user_id, scope, -quantity, 0)


def holders(activity_id: int, scopes: list[str]) -> dict[str, dict[int, int]]:
    """Units each shopper holds under each scope (the database's figures for the gate)."""
    rows = db.session.execute(select(FlashHolding.scope, FlashHolding.user_id, FlashHolding.units)
                              .where(FlashHolding.activity_id == activity_id, FlashHolding.scope.in_(scopes),
                                     FlashHolding.units > 0)).all()
    found: dict[str, dict[int, int]] = {scope: {} for scope in scopes}
    for scope, user_id, units in rows:
        found[scope][user_id] = units
    return found
