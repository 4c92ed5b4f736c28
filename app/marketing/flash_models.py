"""Flash sales (秒杀), after yudao mall's seckill model: sessions are time slots of every Beijing
day (10:00场, 14:00场...); an activity runs over a range of Beijing days in chosen sessions and
sells chosen SKUs at a flash price from a stock set aside for it (taken from the SKU when the
activity is saved, the unsold rest returned once when it stops or ends).

`flash_items.sold` counts the units in orders waiting for payment or paid (the database's
truth that app.marketing.flash_gate mirrors in Redis); `flash_holdings` counts each shopper's
units under each limit scope ("activity", or "session:<session id>:<YYYY-MM-DD>" for one
session of one day), so a limit is checked by a conditional update like the stock.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.labels import labels
from app.core.models import TimestampMixin
from app.extensions import db

ACTIVITY_SCOPE = "activity"


class FlashStatus(StrEnum):
    """Computed from the days, the sessions and the stop, never stored."""

    NOT_STARTED = "not_started"
    RUNNING = "running"
    ENDED = "ended"
    STOPPED = "stopped"


FLASH_STATUS_LABELS = labels(FlashStatus, {
    FlashStatus.NOT_STARTED: _l("Not started"), FlashStatus.RUNNING: _l("Running"),
    FlashStatus.ENDED: _l("Ended"), FlashStatus.STOPPED: _l("Stopped early"),
})


class FlashSession(TimestampMixin, db.Model):
    """A time slot of every Beijing day; enabled sessions never overlap."""

    __tablename__ = "flash_sessions"
    __table_args__ = (
        CheckConstraint("start_minute >= 0 AND start_minute < 1440", name="start_in_day"),
        CheckConstraint("duration_minutes >= 1 AND start_minute + duration_minutes <= 1440",
                        name="ends_within_day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(20), nullable=False, comment="e.g. 10:00场")
    start_minute: Mapped[int] = mapped_column(Integer, nullable=False, comment="minutes after Beijing midnight")
    duration_minutes: Mapped[int] = mapped_column(Integer, nullable=False)
    is_enabled: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    sort: Mapped[int] = mapped_column(Integer, default=0, nullable=False, comment="larger shows first")

    @property
    def end_minute(self) -> int:
        return self.start_minute + self.duration_minutes


class FlashActivity(TimestampMixin, db.Model):
    __tablename__ = "flash_activities"
    __table_args__ = (
        CheckConstraint("last_day >= first_day", name="days_in_order"),
        CheckConstraint("limit_per_session >= 0 AND limit_per_activity >= 0", name="limits_not_negative"),
        CheckConstraint("pay_minutes >= 1", name="pay_minutes_positive"),
        Index("ix_flash_activities_returned_last_day", "stock_returned_at", "last_day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), nullable=False)
    first_day: Mapped[date] = mapped_column(Date, nullable=False, comment="Beijing day")
    last_day: Mapped[date] = mapped_column(Date, nullable=False, comment="Beijing day, inclusive")
    session_ids: Mapped[list[int]] = mapped_column(JSON, default=list, nullable=False,
                                                   comment="the flash sessions it runs in")
    limit_per_session: Mapped[int] = mapped_column(Integer, default=1, nullable=False,
                                                   comment="units a shopper may buy in one session; 0 = no limit")
    limit_per_activity: Mapped[int] = mapped_column(Integer, default=0, nullable=False,
                                                    comment="units a shopper may buy in the activity; 0 = no limit")
    pays_commission: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    stacks: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False,
                                         comment="coupons, points and full-reduction may apply too")
    pay_minutes: Mapped[int] = mapped_column(Integer, default=5, nullable=False, comment="payment window")
    stopped_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True, comment="UTC; stopped early")
    stock_returned_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True,
                                                               comment="UTC; the unsold set-aside went back")

    items: Mapped[list[FlashItem]] = relationship(order_by="FlashItem.id", back_populates="activity")


class FlashItem(TimestampMixin, db.Model):
    """A SKU of an activity: its flash price and the stock set aside; `sold` units are in
    orders waiting for payment or paid."""

    __tablename__ = "flash_items"
    __table_args__ = (
        UniqueConstraint("activity_id", "sku_id", name="uq_flash_items_activity_sku"),
        CheckConstraint("flash_price_fen >= 1", name="price_positive"),
        CheckConstraint("sold >= 0 AND sold <= stock", name="sold_within_stock"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("flash_activities.id"), nullable=False)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True, nullable=False)
    sku_id: Mapped[int] = mapped_column(ForeignKey("skus.id"), index=True, nullable=False)
    flash_price_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    stock: Mapped[int] = mapped_column(Integer, nullable=False, comment="units set aside from the SKU")
    sold: Mapped[int] = mapped_column(Integer, default=0, nullable=False,
                                      comment="units in orders waiting for payment or paid")

    activity: Mapped[FlashActivity] = relationship(back_populates="items")

    @property
    def left(self) -> int:
        return self.stock - self.sold


class FlashHolding(db.Model):
    """Units a shopper holds in an activity under one limit scope. Keyed by all three, so a
    missing row is created the way app.core.upsert does it (without gap locks); no foreign
    keys, as for coupon holdings: a key's check would share-lock the activity or shopper row
    from the short connection that creates the row, behind the order's own transaction."""

    __tablename__ = "flash_holdings"
    __table_args__ = (CheckConstraint("units >= 0", name="units_not_negative"),)

    activity_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    user_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    scope: Mapped[str] = mapped_column(String(40), primary_key=True,
                                       comment='"activity" or "session:<session id>:<YYYY-MM-DD>"')
    units: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
