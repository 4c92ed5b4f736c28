"""Unused coupons whose dates have passed become expired, in batches, each with its event and
its template's counter (a coupon's own query already treats a past date as expired; this keeps
the counters and the console's figures in step)."""

from __future__ import annotations

from sqlalchemy import select

from app.core.models import utcnow
from app.extensions import db
from app.marketing.coupon_grants import record_move
from app.marketing.coupon_lifecycle import count, move
from app.marketing.coupon_models import Coupon, CouponMove, CouponStatus

BATCH = 1000


def expire_due(limit: int = BATCH) -> int:
    """Expire up to `limit` unused coupons past their date; how many (run until it says 0)."""
    now = utcnow()
    due = list(db.session.scalars(select(Coupon).where(Coupon.status == CouponStatus.UNUSED, Coupon.valid_until <= now)
                                  .order_by(Coupon.valid_until, Coupon.id).limit(limit)))
    expired = 0
    for coupon in due:
        if move(coupon.id, CouponStatus.UNUSED, status=CouponStatus.EXPIRED):
            count(coupon.template_id, expired=1)
            record_move(coupon, CouponMove.EXPIRED)
            expired += 1
    db.session.flush()
    return expired
