"""A follower who turns out to be a shopper we already have becomes that shopper.

When WeChat's user/info could not be asked at the follow, or a web login gave no unionid, the
follower got a User of their own; the unionid that arrives later shows they are a shopper
who already exists (event `shopper.same_person`). If the follower's User holds nothing but
the official account's trail — the fan row, the QR scenes scanned, poster scans — that trail
moves to the shopper, the fan reward an agent earned for the follower counts as earned for
the shopper (so it is not earned twice), and the empty User goes; the waiting scenes are
then applied as for any new shopper. A User with any other history is left apart.
"""

from __future__ import annotations

import logging

from sqlalchemy import select, update

from app.accounts.models import User
from app.distribution.fan_rewards import KIND as FAN_REWARD
from app.extensions import db
from app.members.models import PointsEntry

log = logging.getLogger(__name__)

# (table, column) rows that are a follower's official-account trail, and so move with them
FOLLOWER_TRAIL = {("oa_fans", "user_id"), ("oa_scene_touches", "user_id"), ("poster_scans", "user_id")}


def _references_to_users() -> list[tuple[object, object]]:
    """Every (table, column) that points at a User, as the schema declares them."""
    users = User.__table__
    return [(table, fk.parent) for table in db.metadata.sorted_tables for fk in table.foreign_keys
            if fk.column.table is users]


def _has_other_history(user_id: int) -> bool:
    for table, column in _references_to_users():
        if (table.name, column.name) in FOLLOWER_TRAIL:
            continue
        if db.session.execute(select(column).where(column == user_id).limit(1)).first() is not None:
            return True
    return False


def fold_follower(follower_id: int, shopper_id: int) -> bool:
    """Fold the follower's User into the shopper's; whether it was done (safe to run twice)."""
    rows = {user.id: user for user in db.session.scalars(
        select(User).where(User.id.in_((follower_id, shopper_id))).order_by(User.id).with_for_update())}
    follower, shopper = rows.get(follower_id), rows.get(shopper_id)
    if follower is None or shopper is None or follower_id == shopper_id:
        return False
    if follower.mp_openid or follower.unionid or not follower.oa_openid or shopper.oa_openid:
        log.info("user %s is not a mere follower of shopper %s; left apart", follower_id, shopper_id)
        return False
    if _has_other_history(follower_id):
        log.warning("follower user %s has a history of their own; left apart from user %s", follower_id, shopper_id)
        return False
    for table, column in _references_to_users():
        if (table.name, column.name) in FOLLOWER_TRAIL:
            db.session.execute(update(table).where(column == follower_id).values({column.name: shopper_id}))
    db.session.execute(update(PointsEntry).where(PointsEntry.kind == FAN_REWARD,
                                                 PointsEntry.ref == f"user:{follower_id}")
                       .values(ref=f"user:{shopper_id}").execution_options(synchronize_session=False))
    openid = follower.oa_openid
    follower.oa_openid = None
    db.session.flush()
    shopper.oa_openid = openid
    db.session.delete(follower)
    db.session.flush()
    log.info("follower user %s folded into shopper %s", follower_id, shopper_id)
    return True
