"""Scheduled and queued jobs of the promotions: thin callers of the domain functions."""

from __future__ import annotations

import logging

from sqlalchemy.exc import OperationalError

from app.core.errors import DomainError
from app.core.events import subscribe
from app.core.jobs import job
from app.extensions import db
from app.marketing import (
    bargains,
    coupon_expiry,
    flash_activities,
    flash_reconcile,
    group_expiry,
    level_coupons,
    points_expiry,
)
from app.marketing.events import GROUP_REFUND_DUE
from app.members.models import MemberLevel

log = logging.getLogger(__name__)


@job("default")
def expire_points(year: int | None = None, after_user_id: int = 0) -> int:
    """The daily sweep (cron): nothing, unless a year's points are due to expire; then every
    wallet holding points, a chunk per job (each chunk commits), the year marked done last."""
    year = year or points_expiry.due_year()
    if year is None:
        return 0
    user_ids = points_expiry.expire_chunk(year, after_user_id)
    db.session.commit()
    if len(user_ids) == points_expiry.CHUNK:
        expire_points.delay(year, user_ids[-1])
    else:
        points_expiry.finish_year(year)
    return len(user_ids)


@job("default")
def grant_level_coupons(month: str | None = None, level_id: int | None = None, after_user_id: int = 0) -> int:
    """The daily trigger (cron) starts a month's round once, a chunk job per level; each chunk
    commits and queues the next."""
    if level_id is None:
        month = level_coupons.this_month()
        if level_coupons.month_started(month):
            return 0
        for level in level_coupons.levels_with_coupons():
            grant_level_coupons.delay(month, level.id, 0)
        return 0
    level = db.session.get(MemberLevel, level_id)
    if level is None or level.monthly_coupon_template_id is None:
        return 0
    user_ids = level_coupons.grant_chunk(month, level, after_user_id)
    db.session.commit()
    if len(user_ids) == level_coupons.CHUNK:
        grant_level_coupons.delay(month, level_id, user_ids[-1])
    return len(user_ids)


@job("default")
def expire_coupons() -> int:
    """Unused coupons past their date become expired, a batch per job (each commits)."""
    expired = coupon_expiry.expire_due()
    db.session.commit()
    if expired == coupon_expiry.BATCH:
        expire_coupons.delay()
    return expired


@job("default")
def expire_bargains() -> int:
    """Bargains out of time that never reached the floor are marked expired, a batch per job
    (each commits; a full batch queues the next). Safe to run twice."""
    expired = bargains.expire_due()
    db.session.commit()
    if expired == bargains.EXPIRY_BATCH:
        expire_bargains.delay()
    return expired


@job("default")
def end_flash_sales() -> int:
    """Flash sales whose last session has ended return their unsold stock to the SKUs (each
    once: a replay or a second scheduler finds nothing left to return)."""
    ended = flash_activities.end_due()
    db.session.commit()
    return len(ended)


@job("default")
def reconcile_flash_gates() -> int:
    """The gates of the flash sale session on now agree with the database again (lost holds
    given back, paid ones settled, figures set): how many repairs. Safe to run twice."""
    repairs = flash_reconcile.reconcile_live_gates()
    db.session.commit()
    return len(repairs)


@job("default")
def expire_groups() -> int:
    """The sweep (cron, every minute): forming groups past their time succeed virtually or
    fail, each in its own transaction; then every refund still due runs, each committed on
    its own (a refund that fails stays due for the next sweep)."""
    settled = 0
    for group_id in group_expiry.due_groups():
        group_expiry.expire_group(group_id)
        db.session.commit()
        settled += 1
    for member_id in group_expiry.due_refunds():
        refund_group_member(member_id)
    return settled


@subscribe(GROUP_REFUND_DUE)
@job("money")
def refund_group_member(member_id: int) -> bool:
    """A group-buy order found no seat (or its group failed): its whole refund, once."""
    try:
        refunded = group_expiry.refund_member(member_id)
        db.session.commit()
    except DomainError as exc:  # e.g. WeChat refused the hold: the member stays due, the sweep retries
        db.session.rollback()
        log.warning("group-buy member %s not refunded: %s", member_id, exc.code)
        return False
    except OperationalError as exc:  # a deadlock or lock wait lost to another refund: the same
        db.session.rollback()
        log.warning("group-buy member %s not refunded yet: %s", member_id, exc.orig)
        return False
    return refunded
