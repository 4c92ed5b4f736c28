"""Giving a coupon to a shopper, and taking a gift back.

Every way a coupon is given (the centre, the new-user pack, the merchant, points, an invitee,
an order's amount, a full-reduction tier) goes through `grant`, which is atomic under any
number of concurrent claims: the shopper's counter rows and then the template's issued counter
move by conditional UPDATEs (`claimed < limit`, `issued < total`), so a race can never give
more than the total or the per-shopper limits, and `(source, ref)` is unique, so a retried
gift gives one coupon. A refusal rolls back its savepoint and leaves nothing behind.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError

from app.core.china_time import to_beijing
from app.core.errors import Conflict, DomainError, NotFound
from app.core.models import utcnow
from app.core.upsert import upsert
from app.extensions import db
from app.marketing.coupon_models import (
    Coupon,
    CouponDailyClaim,
    CouponEvent,
    CouponHolding,
    CouponMove,
    CouponSource,
    CouponStatus,
    CouponTemplate,
    CouponValidity,
)

SYSTEM_ACTOR = "system"


def shopper_actor(user_id: int) -> str:
    return f"shopper:{user_id}"


def staff_actor(staff_id: int | None) -> str:
    return f"staff:{staff_id}" if staff_id else SYSTEM_ACTOR


def record_move(coupon: Coupon, kind: CouponMove, *, order_id: int | None = None, actor: str = SYSTEM_ACTOR) -> None:
    db.session.add(CouponEvent(coupon_id=coupon.id, template_id=coupon.template_id, user_id=coupon.user_id,
                               kind=kind, order_id=order_id, actor=actor[:32]))


def validity_of(template: CouponTemplate, now: datetime) -> tuple[datetime, datetime]:
    """When a coupon received `now` may be used: the template's dates, or N days from now."""
    if template.validity == CouponValidity.FIXED:
        return template.valid_from or now, template.valid_until or now
    return now, now + timedelta(days=template.valid_days)


def coupon_by_ref(source: str, ref: str) -> Coupon | None:
    return db.session.scalar(select(Coupon).where(Coupon.source == source, Coupon.ref == ref))


def grant(user_id: int, template_id: int, *, source: str, ref: str, actor: str = SYSTEM_ACTOR,
          now: datetime | None = None) -> Coupon:
    """Give the shopper one coupon of the template, for `source` and `ref` (what the gift is
    for: the shopper and day for a centre claim, the order for an order gift…). The coupon
    already given for (source, ref) when there is one; Conflict when the template is off, ended,
    all given, or the shopper's limit (in all or today) is reached."""
    source = CouponSource(source)
    if (existing := coupon_by_ref(source, ref)) is not None:
        return existing
    template = db.session.get(CouponTemplate, template_id)
    if template is None:
        raise NotFound(_("This coupon does not exist."), code="coupon_not_found")
    now = now or utcnow()
    valid_from, valid_until = validity_of(template, now)
    if not template.enabled:
        raise Conflict(_("This coupon is no longer given out."), code="coupon_disabled")
    if valid_until <= now:
        raise Conflict(_("This coupon has ended."), code="coupon_ended")
    try:
        with db.session.begin_nested():
            _count_for_shopper(template, user_id, now)
            _count_issued(template)
            coupon = Coupon(template_id=template.id, user_id=user_id, status=CouponStatus.UNUSED,
                            valid_from=valid_from, valid_until=valid_until, source=source, ref=ref[:64])
            db.session.add(coupon)
            db.session.flush()
            record_move(coupon, CouponMove.CLAIMED, actor=actor)
            db.session.flush()
    except IntegrityError as exc:  # the same gift at the same moment: the other one gave it
        winner = coupon_by_ref(source, ref)
        if winner is None:
            raise Conflict(_("Please try again."), code="retry") from exc
        return winner
    db.session.expire(template, ["issued"])
    return coupon


def grant_if_possible(user_id: int, template_id: int, *, source: str, ref: str) -> Coupon | None:
    """A gift the shopper earned by something else (an order, a level, joining): given like
    `grant`, or skipped (None) when the template is off, ended, all given or at a limit — a gift
    that cannot be given never fails what earned it (`grant` rolls back only its own savepoint)."""
    try:
        return grant(user_id, template_id, source=source, ref=ref)
    except DomainError:
        return None


def _count_for_shopper(template: CouponTemplate, user_id: int, now: datetime) -> None:
    """One more for this shopper, in all and today, or Conflict at either limit."""
    connection = db.session.connection()
    holdings = CouponHolding.__table__
    upsert(connection, holdings, {"template_id": template.id, "user_id": user_id, "claimed": 0},
           lambda _new: {"claimed": holdings.c.claimed})
    counted = connection.execute(
        update(holdings).where(holdings.c.template_id == template.id, holdings.c.user_id == user_id,
                               _below(holdings.c.claimed, template.per_user_limit))
        .values(claimed=holdings.c.claimed + 1)).rowcount
    if not counted:
        raise Conflict(_("You already have as many of this coupon as allowed."), code="coupon_limit_reached")
    if template.per_user_daily_limit is None:
        return
    daily = CouponDailyClaim.__table__
    day = to_beijing(now).date()
    upsert(connection, daily, {"template_id": template.id, "user_id": user_id, "day": day, "claimed": 0},
           lambda _new: {"claimed": daily.c.claimed})
    counted = connection.execute(
        update(daily).where(daily.c.template_id == template.id, daily.c.user_id == user_id, daily.c.day == day,
                            daily.c.claimed < template.per_user_daily_limit)
        .values(claimed=daily.c.claimed + 1)).rowcount
    if not counted:
        raise Conflict(_("You have received as many of this coupon as allowed today."),
                       code="coupon_daily_limit_reached")


def _below(column, limit: int | None):
    return column >= 0 if limit is None else column < limit


def _count_issued(template: CouponTemplate) -> None:
    issued = db.session.execute(
        update(CouponTemplate).where(CouponTemplate.id == template.id, CouponTemplate.enabled.is_(True),
                                     or_(CouponTemplate.total.is_(None), CouponTemplate.issued < CouponTemplate.total))
        .values(issued=CouponTemplate.issued + 1).execution_options(synchronize_session=False)).rowcount
    if not issued:
        raise Conflict(_("This coupon has all been given out."), code="coupon_sold_out")


def revoke(source: str, ref: str, *, actor: str = SYSTEM_ACTOR) -> bool:
    """Take back the coupon given for (source, ref) if it is still unused (a gift whose cause
    was undone, e.g. the order that earned it was refunded). False when there is none to take:
    never given, already used or held by an order, or already taken back."""
    coupon = coupon_by_ref(CouponSource(source), ref)
    if coupon is None:
        return False
    taken = db.session.execute(
        update(Coupon).where(Coupon.id == coupon.id, Coupon.status == CouponStatus.UNUSED)
        .values(status=CouponStatus.REVOKED, updated_at=utcnow()).execution_options(synchronize_session=False)
    ).rowcount
    if not taken:
        return False
    db.session.execute(update(CouponTemplate).where(CouponTemplate.id == coupon.template_id)
                       .values(revoked=CouponTemplate.revoked + 1).execution_options(synchronize_session=False))
    db.session.expire(coupon)
    record_move(coupon, CouponMove.REVOKED, actor=actor)
    db.session.flush()
    return True
