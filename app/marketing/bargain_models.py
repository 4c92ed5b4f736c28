"""Bargain (砍价) activities, the bargains shoppers launch in them, and the friends' cuts.

An activity sells one SKU from a start price down to a floor price, reached exactly when the
required number of friends have helped (app.marketing.bargain_cuts). A shop runs tens of
activities; bargains and helps grow with shoppers, so their reads go by index: a shopper's
bargains, an activity's results, the expiry sweep, a helper's helps of the day.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, CheckConstraint, Date, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.labels import labels
from app.core.models import TimestampMixin, utcnow
from app.extensions import db


class BargainActivityStatus(StrEnum):
    """Computed from the window and the stop, never stored."""

    COMING = "coming"
    LIVE = "live"
    ENDED = "ended"
    STOPPED = "stopped"


BARGAIN_ACTIVITY_STATUS_LABELS = labels(BargainActivityStatus, {
    BargainActivityStatus.COMING: _l("Coming"), BargainActivityStatus.LIVE: _l("Live"),
    BargainActivityStatus.ENDED: _l("Ended"), BargainActivityStatus.STOPPED: _l("Stopped early"),
})


class BargainStatus(StrEnum):
    """A launched bargain: friends cut (bargaining) until the floor is reached (succeeded) or
    its time runs out (expired); bought once its order is paid."""

    BARGAINING = "bargaining"
    SUCCEEDED = "succeeded"
    BOUGHT = "bought"
    EXPIRED = "expired"


# Every move a bargain's status makes (each a conditional UPDATE naming the status it leaves):
# a help reaching the floor, the expiry sweep or a stop, and the paid order of the launcher
# (at the floor, or at the price reached when the activity allows it, within the buy window).
BARGAIN_MOVES = {
    BargainStatus.BARGAINING: {BargainStatus.SUCCEEDED, BargainStatus.EXPIRED, BargainStatus.BOUGHT},
    BargainStatus.SUCCEEDED: {BargainStatus.BOUGHT},
    BargainStatus.EXPIRED: {BargainStatus.BOUGHT},
    BargainStatus.BOUGHT: set(),
}

BARGAIN_STATUS_LABELS = labels(BargainStatus, {
    BargainStatus.BARGAINING: _l("Bargaining"), BargainStatus.SUCCEEDED: _l("Floor price reached"),
    BargainStatus.BOUGHT: _l("Bought"), BargainStatus.EXPIRED: _l("Expired"),
})


class BargainActivity(TimestampMixin, db.Model):
    __tablename__ = "bargain_activities"
    __table_args__ = (
        CheckConstraint("floor_price_fen >= 0 AND start_price_fen > floor_price_fen", name="prices_descend"),
        CheckConstraint("helpers_needed >= 1 AND start_price_fen - floor_price_fen >= helpers_needed",
                        name="a_fen_per_helper"),
        CheckConstraint("cut_min_fen >= 0 AND cut_max_fen >= cut_min_fen", name="cut_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), nullable=False)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), nullable=False)
    sku_id: Mapped[int] = mapped_column(ForeignKey("skus.id"), index=True, nullable=False)
    start_price_fen: Mapped[int] = mapped_column(Integer, nullable=False, comment="where every bargain starts")
    floor_price_fen: Mapped[int] = mapped_column(Integer, nullable=False, comment="reached at the last required help")
    helpers_needed: Mapped[int] = mapped_column(Integer, nullable=False)
    cut_min_fen: Mapped[int] = mapped_column(Integer, default=0, nullable=False,
                                             comment="a helper's cut at least; 0 and 0: derived from the range")
    cut_max_fen: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    time_limit_hours: Mapped[int] = mapped_column(Integer, nullable=False,
                                                  comment="a bargain's time to reach the floor")
    launches_per_shopper: Mapped[int] = mapped_column(Integer, default=1, nullable=False)
    helps_per_day: Mapped[int] = mapped_column(Integer, default=3, nullable=False,
                                               comment="one friend's helps a Beijing day, all bargains of it")
    buy_at_current: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False,
                                                 comment="the launcher may buy before the floor, at the price reached")
    buy_window_hours: Mapped[int] = mapped_column(Integer, default=24, nullable=False,
                                                  comment="time to buy once the bargain ended")
    pays_commission: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    stacks: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False,
                                         comment="coupons, points, full-reduction, member price apply too")
    starts_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    ends_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    stopped_at: Mapped[datetime | None] = mapped_column(DateTime, comment="stopped early by the merchant")


class Bargain(TimestampMixin, db.Model):
    __tablename__ = "bargains"
    __table_args__ = (
        CheckConstraint("current_price_fen >= floor_price_fen", name="not_below_floor"),
        CheckConstraint("helpers_count >= 0 AND helpers_count <= helpers_needed", name="helpers_within_needed"),
        Index("ix_bargains_user_id_id", "user_id", "id"),  # my bargains, newest first
        # a shopper's launches are numbered: two taps at once cannot both be launch n
        UniqueConstraint("activity_id", "user_id", "launch_no", name="uq_bargains_activity_id_user_id_launch_no"),
        Index("ix_bargains_status_expires_at", "status", "expires_at"),  # the expiry sweep
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("bargain_activities.id"), nullable=False)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False, comment="the launcher")
    launch_no: Mapped[int] = mapped_column(Integer, nullable=False, comment="1 for the shopper's first in the activity")
    sku_id: Mapped[int] = mapped_column(ForeignKey("skus.id"), nullable=False)
    start_price_fen: Mapped[int] = mapped_column(Integer, nullable=False, comment="the activity's, when launched")
    floor_price_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    current_price_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    helpers_needed: Mapped[int] = mapped_column(Integer, nullable=False)
    helpers_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    cut_seed: Mapped[int] = mapped_column(Integer, nullable=False, comment="makes each helper's cut reproducible")
    status: Mapped[str] = mapped_column(String(16), default=BargainStatus.BARGAINING, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, comment="helps accepted until then")
    buy_until: Mapped[datetime] = mapped_column(DateTime, nullable=False, comment="the order must be placed by then")
    succeeded_at: Mapped[datetime | None] = mapped_column(DateTime)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"),
                                                 comment="the order buying it (unpaid or paid)")

    activity: Mapped[BargainActivity] = relationship()


class BargainHelp(db.Model):
    __tablename__ = "bargain_helps"
    __table_args__ = (
        UniqueConstraint("bargain_id", "helper_user_id", name="uq_bargain_helps_bargain_id_helper_user_id"),
        # a helper's helps of a day are numbered: two at once cannot both be help n (the daily limit)
        UniqueConstraint("helper_user_id", "day", "day_no", name="uq_bargain_helps_helper_user_id_day_day_no"),
        CheckConstraint("cut_fen > 0", name="cut_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    bargain_id: Mapped[int] = mapped_column(ForeignKey("bargains.id"), nullable=False)
    helper_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    cut_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    price_after_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    day: Mapped[date] = mapped_column(Date, nullable=False, comment="Beijing calendar day (the helps-per-day limit)")
    day_no: Mapped[int] = mapped_column(Integer, nullable=False, comment="1 for the helper's first help that day")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
