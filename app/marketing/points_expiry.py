"""Points expiry (optional): points earned in year Y (Beijing) expire at the end of year Y+1.

Which points a spend uses is first in, first out: every point that leaves a wallet (spent,
clawed back, adjusted down, expired) is taken from the oldest points still held. So at the
end of Y+1, what is left of the points credited up to the end of Y is

    credited before 1 January Y+1  −  everything that left before 1 January Y+2

(at least 0, at most the balance), and that is what expires: one `points_expired` ledger row
per shopper and year (ref "expire:Y:user", so running again writes nothing twice). Points
given back by a refund count as credited when given back.

The yearly sweep is a daily scheduled job that does nothing once the year is done
(`PointsRules.expired_through_year`); it walks the wallets holding points in keyset chunks,
each its own transaction. The shopper's points detail shows, by the same rule, what expires
at the end of this year and of the next.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.core.china_time import day_start_utc
from app.extensions import db
from app.marketing import points_rules
from app.marketing.sign_in import beijing_day
from app.members.models import PointsEntry, Wallet, WalletChange
from app.members.services import change_points, wallet_for_update

CHUNK = 500


def _year_start(year: int) -> datetime:
    return day_start_utc(date(year, 1, 1))


def _sum(user_id: int, *conditions) -> int:
    return int(db.session.scalar(select(func.coalesce(func.sum(PointsEntry.delta), 0))
                                 .where(PointsEntry.user_id == user_id, *conditions)) or 0)


def unspent_of_year(user_id: int, year: int, held: int) -> int:
    """What of the points credited up to the end of `year` is still held at the end of
    `year` + 1 (first in, first out), at most `held`."""
    credited = _sum(user_id, PointsEntry.delta > 0, PointsEntry.created_at < _year_start(year + 1))
    left = -_sum(user_id, PointsEntry.delta < 0, PointsEntry.created_at < _year_start(year + 2))
    return max(0, min(credited - left, held))


def expiring(user_id: int, held: int, now: datetime | None = None) -> list[dict]:
    """What of the held points expires at the end of this year and of the next (Beijing),
    soonest first; nothing when expiry is off."""
    if not points_rules.current().expiry_enabled or held <= 0:
        return []
    this_year = beijing_day(now).year
    first = unspent_of_year(user_id, this_year - 1, held)
    answer = [{"points": first, "expires_on": date(this_year, 12, 31).isoformat()}] if first else []
    if held - first > 0:
        answer.append({"points": held - first, "expires_on": date(this_year + 1, 12, 31).isoformat()})
    return answer


def due_year(now: datetime | None = None) -> int | None:
    """The earning year whose points are due to expire now and have not been swept yet."""
    rules = points_rules.current()
    year = beijing_day(now).year - 2
    if not rules.expiry_enabled or rules.expired_through_year >= year:
        return None
    return year


def expire_user(user_id: int, year: int) -> int:
    """Write the user's expiry row for `year` (once); returns the points expired."""
    ref = f"expire:{year}:{user_id}"
    if db.session.scalar(select(PointsEntry.id).where(PointsEntry.kind == WalletChange.POINTS_EXPIRED,
                                                      PointsEntry.ref == ref)):
        return 0
    held = wallet_for_update(user_id).points
    amount = unspent_of_year(user_id, year, held)
    if amount <= 0:
        return 0
    change_points(user_id, -amount, kind=WalletChange.POINTS_EXPIRED, ref=ref,
                  reason=_("Points earned in %(year)s expired", year=year))
    return amount


def expire_chunk(year: int, after_user_id: int = 0) -> list[int]:
    """Expire the points of the next CHUNK shoppers holding points; their ids."""
    user_ids = list(db.session.scalars(select(Wallet.user_id).where(Wallet.user_id > after_user_id, Wallet.points > 0)
                                       .order_by(Wallet.user_id).limit(CHUNK)))
    for user_id in user_ids:
        expire_user(user_id, year)
    return user_ids


def finish_year(year: int) -> None:
    rules = points_rules.saved()
    rules.expired_through_year = max(rules.expired_through_year, year)
    db.session.flush()
