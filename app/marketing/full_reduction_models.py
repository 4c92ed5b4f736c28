"""Full-reduction activities (满减 / 满折 / 满包邮): a time window, a product scope and tiers.

An activity's tiers are reached by the amount (fen, after the member discount) or the count
of its in-scope lines; only the best tier reached applies. A shop runs tens of activities,
not thousands, so the scope's ids sit in a JSON list on the activity and the live ones are
cached whole in each worker (`full_reduction_cache`).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, CheckConstraint, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.labels import labels
from app.core.models import TimestampMixin
from app.extensions import db


class ActivityScope(StrEnum):
    """Which products an activity covers."""

    ALL = "all"
    PRODUCTS = "products"
    CATEGORIES = "categories"
    EXCEPT_PRODUCTS = "except_products"


ACTIVITY_SCOPE_LABELS = labels(ActivityScope, {
    ActivityScope.ALL: _l("Whole shop"), ActivityScope.PRODUCTS: _l("Chosen products"),
    ActivityScope.CATEGORIES: _l("Chosen categories"), ActivityScope.EXCEPT_PRODUCTS: _l("All except chosen products"),
})


class TierBasis(StrEnum):
    """What a tier's threshold counts: the amount of the in-scope lines, or their pieces."""

    AMOUNT = "amount"
    COUNT = "count"


TIER_BASIS_LABELS = labels(TierBasis, {TierBasis.AMOUNT: _l("By amount (满 ¥)"),
                                       TierBasis.COUNT: _l("By count (满 N 件)")})


class ActivityStatus(StrEnum):
    """Computed from the enabled flag and the window, never stored."""

    NOT_STARTED = "not_started"
    RUNNING = "running"
    ENDED = "ended"
    DISABLED = "disabled"


ACTIVITY_STATUS_LABELS = labels(ActivityStatus, {
    ActivityStatus.NOT_STARTED: _l("Not started"), ActivityStatus.RUNNING: _l("Running"),
    ActivityStatus.ENDED: _l("Ended"), ActivityStatus.DISABLED: _l("Stopped"),
})


class FullReductionActivity(TimestampMixin, db.Model):
    __tablename__ = "full_reduction_activities"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="window_not_empty"),
        Index("ix_full_reduction_activities_enabled_ends", "is_enabled", "ends_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), nullable=False)
    starts_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, comment="UTC")
    ends_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, comment="UTC, exclusive")
    is_enabled: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    scope: Mapped[str] = mapped_column(String(16), nullable=False,
                                       comment="all | products | categories | except_products")
    scope_ids: Mapped[list[int]] = mapped_column(JSON, default=list, nullable=False,
                                                 comment="product or category ids the scope names")
    basis: Mapped[str] = mapped_column(String(8), nullable=False, comment="amount | count")

    tiers: Mapped[list[FullReductionTier]] = relationship(
        order_by="FullReductionTier.threshold", cascade="all, delete-orphan", back_populates="activity")


class FullReductionTier(db.Model):
    """满 `threshold` (fen or pieces): some amount off or a rate off (not both), and/or free
    shipping, points or a gift coupon."""

    __tablename__ = "full_reduction_tiers"
    __table_args__ = (
        CheckConstraint("threshold >= 1", name="threshold_positive"),
        CheckConstraint("off_fen >= 0 AND points >= 0", name="rewards_not_negative"),
        CheckConstraint("pay_rate_bp >= 0 AND pay_rate_bp <= 10000", name="pay_rate_in_range"),
        CheckConstraint("off_fen = 0 OR pay_rate_bp = 10000", name="amount_or_rate_off"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("full_reduction_activities.id"), index=True, nullable=False)
    threshold: Mapped[int] = mapped_column(Integer, nullable=False, comment="fen (basis amount) or pieces (count)")
    off_fen: Mapped[int] = mapped_column(Integer, default=0, nullable=False, comment="满减: amount off")
    pay_rate_bp: Mapped[int] = mapped_column(Integer, default=10_000, nullable=False,
                                             comment="满折: what is paid, 8000 = 8折; 10000 = no rate off")
    free_shipping: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    points: Mapped[int] = mapped_column(Integer, default=0, nullable=False, comment="points given at completion")
    gift_coupon_template_id: Mapped[int | None] = mapped_column(Integer, nullable=True,
                                                                comment="coupon template given (no FK yet)")

    activity: Mapped[FullReductionActivity] = relationship(back_populates="tiers")
