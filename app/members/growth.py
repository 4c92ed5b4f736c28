"""Growth (成长值): a ledger per shopper that lifts their member level.

Every change locks the wallet, writes a `growth_entries` row with the running figure and
(when it adds) upgrades the level, all in the transaction of its cause; a (kind, ref) pair
applies once, so a replayed event changes nothing. What earns growth (completed orders,
sign-ins) is decided in app/marketing/member_growth.py; this module keeps the books.

An order's growth is clawed back in proportion to the refunds of its goods: the order keeps
`earned × (paid − refunded) // paid`, and each refund takes back the difference between what
the order still holds and that, so a full refund takes back exactly what was earned however
the refunds were split.
"""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.members import level_moves
from app.members.growth_models import GrowthKind
from app.members.models import GrowthEntry
from app.members.services import wallet_for_update


def change_growth(user_id: int, delta: int, *, kind: str, ref: str, reason: str = "",
                  order_id: int | None = None, staff_id: int | None = None) -> GrowthEntry:
    """Apply one growth change with its ledger row, then lift the level if it was a gain."""
    if (existing := db.session.scalar(select(GrowthEntry).where(GrowthEntry.kind == kind, GrowthEntry.ref == ref))):
        return existing  # already applied: a replay changes nothing
    wallet = wallet_for_update(user_id)
    wallet.growth += delta
    entry = GrowthEntry(user_id=user_id, delta=delta, growth_after=wallet.growth, kind=kind, ref=ref,
                        reason=reason[:255], order_id=order_id, staff_id=staff_id)
    db.session.add(entry)
    db.session.flush()
    if delta > 0:
        level_moves.rise(wallet)
    return entry


def earned_on_order(order_id: int) -> GrowthEntry | None:
    """The order's growth entry, read locking: a refund must see an earning that committed
    after its transaction began (MariaDB's snapshot would hide it, and the refund would then
    be settled by nobody)."""
    return db.session.scalar(select(GrowthEntry).where(GrowthEntry.kind == GrowthKind.ORDER,
                                                       GrowthEntry.ref == str(order_id)).with_for_update())


def claw_back(order_id: int, paid_fen: int, refunded_fen: int, *, ref: str) -> GrowthEntry | None:
    """Take back what refunds of `refunded_fen` out of `paid_fen` (the order's goods, read
    locking by the caller) take off the order's growth; nothing before it was earned."""
    earned = earned_on_order(order_id)
    if earned is None:
        return None
    wallet_for_update(earned.user_id)  # one shopper's claw-backs run one at a time
    clawed = -int(db.session.scalar(
        select(func.coalesce(func.sum(GrowthEntry.delta), 0))
        .where(GrowthEntry.order_id == order_id, GrowthEntry.kind == GrowthKind.REFUND).with_for_update()))
    keeps = earned.delta * max(paid_fen - refunded_fen, 0) // paid_fen if paid_fen > 0 else 0
    claw = earned.delta - clawed - keeps
    if claw <= 0:
        return None
    return change_growth(earned.user_id, -claw, kind=GrowthKind.REFUND, ref=ref, reason=earned.reason,
                         order_id=order_id)
