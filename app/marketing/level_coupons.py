"""A member level's monthly coupon (会员月度礼券): each month, every member on a level that has
one receives one coupon of it.

Given by a daily job in chunks of wallets on the level (down the wallets' level index), each
coupon keyed by (level_monthly, "YYYY-MM:user"), so a chunk run twice or a crash mid-way gives
no one a second coupon; a month whose first coupon exists is not started again by the daily
trigger (the chunks already queued finish it). A member who reaches the level later in the
month receives it on the next month's round. A coupon that cannot be given (the template is
off or all given out) is skipped for that member.
"""

from __future__ import annotations

from sqlalchemy import select

from app.core.china_time import format_beijing
from app.core.models import utcnow
from app.extensions import db
from app.marketing import coupon_grants
from app.marketing.coupon_models import Coupon, CouponSource
from app.members.models import MemberLevel, Wallet

CHUNK = 500


def this_month() -> str:
    return format_beijing(utcnow(), "%Y-%m")


def month_started(month: str) -> bool:
    """Some coupon of this month's round exists (read down the (source, ref) unique index)."""
    return db.session.scalar(select(Coupon.id).where(Coupon.source == CouponSource.LEVEL_MONTHLY,
                                                     Coupon.ref.startswith(f"{month}:")).limit(1)) is not None


def levels_with_coupons() -> list[MemberLevel]:
    return list(db.session.scalars(select(MemberLevel).where(MemberLevel.monthly_coupon_template_id.is_not(None))
                                   .order_by(MemberLevel.id)))


def grant_chunk(month: str, level: MemberLevel, after_user_id: int = 0) -> list[int]:
    """Give this month's coupon to the next CHUNK members of `level`; their user ids."""
    user_ids = list(db.session.scalars(select(Wallet.user_id).where(Wallet.level_id == level.id,
                                                                    Wallet.user_id > after_user_id)
                                       .order_by(Wallet.user_id).limit(CHUNK)))
    for user_id in user_ids:
        coupon_grants.grant_if_possible(user_id, level.monthly_coupon_template_id, source=CouponSource.LEVEL_MONTHLY,
                                        ref=f"{month}:{user_id}")
    return user_ids
