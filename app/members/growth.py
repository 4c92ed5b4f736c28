"""Growth (成长值): a ledger per shopper that lifts their member level.

Every change locks the wallet, writes a `growth_entries` row with the running figure and
(when it adds) upgrades the level, all in the transaction of its cause; a (kind, ref) pair
applies once, so a replayed event changes nothing. What earns growth (completed orders,
sign-ins) is decided in app/marketing/member_growth.py; this module keeps the books.

An order's growth is clawed back in proportion to the refunds of its goods: the order keeps
`earned × (paid − refunded) // paid`, and each refund takes back the difference between what
the order still holds and that, so a full refund takes back exactly what was earned however
the refunds were split. The ledger itself remembers the amounts (`basis_fen`: the goods paid
on the order's entry, the goods refunded on each refund's, a refund before the order earned
anything included, at 0 growth), and the shopper's wallet lock puts an order's completion and
its refunds in one line: nothing here locks an order or its items, which the order flows lock
in orders of their own.
"""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.members import level_moves
from app.members.growth_models import GrowthKind
from app.members.models import GrowthEntry
from app.members.services import wallet_for_update


def change_growth(user_id: int, delta: int, *, kind: str, ref: str, reason: str = "",
                  order_id: int | None = None, basis_fen: int = 0, staff_id: int | None = None) -> GrowthEntry:
    """Apply one growth change with its ledger row, then lift the level if it was a gain."""
    if (existing := db.session.scalar(select(GrowthEntry).where(GrowthEntry.kind == kind, GrowthEntry.ref == ref))):
        return existing  # already applied: a replay changes nothing
    wallet = wallet_for_update(user_id)
    wallet.growth += delta
    entry = GrowthEntry(user_id=user_id, delta=delta, growth_after=wallet.growth, kind=kind, ref=ref,
                        reason=reason[:255], order_id=order_id, basis_fen=basis_fen, staff_id=staff_id)
    db.session.add(entry)
    db.session.flush()
    if delta > 0:
        level_moves.rise(wallet)
    return entry


def _earned(order_id: int) -> GrowthEntry | None:
    """The order's earning, read locking (one committed after this transaction began counts)."""
    return db.session.scalar(select(GrowthEntry).where(GrowthEntry.kind == GrowthKind.ORDER,
                                                       GrowthEntry.ref == str(order_id)).with_for_update())


def _refunds(order_id: int) -> tuple[int, int]:
    """(growth clawed back, goods fen refunded) by the order's refund entries so far, read locking."""
    clawed, refunded = db.session.execute(
        select(func.coalesce(func.sum(GrowthEntry.delta), 0), func.coalesce(func.sum(GrowthEntry.basis_fen), 0))
        .where(GrowthEntry.order_id == order_id, GrowthEntry.kind == GrowthKind.REFUND).with_for_update()).one()
    return -int(clawed), int(refunded)


def _claw(earned: GrowthEntry, clawed: int, refunded_fen: int) -> int:
    paid = earned.basis_fen
    keeps = earned.delta * max(paid - refunded_fen, 0) // paid if paid > 0 else 0
    return max(earned.delta - clawed - keeps, 0)


def earn_on_order(user_id: int, order_id: int, growth: int, paid_fen: int, reason: str) -> GrowthEntry | None:
    """Credit an order's growth on `paid_fen` of goods, less what its refunds so far take off."""
    if growth <= 0:
        return None
    wallet_for_update(user_id)
    if _earned(order_id) is not None:
        return None  # a replay
    entry = change_growth(user_id, growth, kind=GrowthKind.ORDER, ref=str(order_id), reason=reason,
                          order_id=order_id, basis_fen=paid_fen)
    clawed, refunded = _refunds(order_id)
    if (claw := _claw(entry, clawed, refunded)) > 0:
        change_growth(user_id, -claw, kind=GrowthKind.REFUND, ref=f"order:{order_id}", reason=reason,
                      order_id=order_id)
    return entry


def claw_back(user_id: int, order_id: int, refunded_fen: int, *, ref: str, reason: str = "") -> GrowthEntry:
    """A refund of `refunded_fen` of the order's goods: recorded (so that an earning to come
    counts it), and what it takes off the order's growth taken back."""
    wallet_for_update(user_id)
    earned = _earned(order_id)
    clawed, refunded = _refunds(order_id)
    claw = _claw(earned, clawed, refunded + refunded_fen) if earned is not None else 0
    return change_growth(user_id, -claw, kind=GrowthKind.REFUND, ref=ref, reason=reason or (earned.reason if earned
                         else ""), order_id=order_id, basis_fen=refunded_fen)
