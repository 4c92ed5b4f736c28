"""Coupons: what the merchant designs (a template), what a shopper holds (a coupon), and every
move a coupon makes (its events), so "who used this coupon on which order" has an answer.

A template's issued / used / expired / revoked counters move in the same transaction as the
coupon that moves them (`flask marketing verify-coupons` recomputes them from the coupons), so
the console never counts a big table. Claims are bounded by conditional UPDATEs of those
counters and of the per-shopper counter rows below, never by counting first.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.labels import labels
from app.core.models import TimestampMixin, utcnow
from app.extensions import db


class CouponKind(StrEnum):
    AMOUNT_OFF = "amount_off"  # 满减: amount off when the goods in scope reach the threshold
    RATE_OFF = "rate_off"  # 折扣: a price multiplier, optionally capped
    NO_THRESHOLD = "no_threshold"  # 无门槛: amount off, whatever the goods


COUPON_KIND_LABELS = labels(CouponKind, {
    CouponKind.AMOUNT_OFF: _l("Amount off over a threshold"), CouponKind.RATE_OFF: _l("Discount rate"),
    CouponKind.NO_THRESHOLD: _l("No threshold"),
})


class CouponScope(StrEnum):
    ALL = "all"
    PRODUCTS = "products"
    CATEGORIES = "categories"
    EXCEPT_PRODUCTS = "except_products"


COUPON_SCOPE_LABELS = labels(CouponScope, {
    CouponScope.ALL: _l("Whole shop"), CouponScope.PRODUCTS: _l("Chosen products"),
    CouponScope.CATEGORIES: _l("Chosen categories"), CouponScope.EXCEPT_PRODUCTS: _l("All except chosen products"),
})


class CouponValidity(StrEnum):
    FIXED = "fixed"  # between two dates
    DAYS = "days"  # N days from receipt


COUPON_VALIDITY_LABELS = labels(CouponValidity, {
    CouponValidity.FIXED: _l("Fixed dates"), CouponValidity.DAYS: _l("Days from receipt"),
})


class CouponStatus(StrEnum):
    UNUSED = "unused"
    LOCKED = "locked"  # held by an unpaid order
    USED = "used"
    EXPIRED = "expired"
    REVOKED = "revoked"  # a gift taken back (e.g. its order was refunded) while unused


COUPON_STATUS_LABELS = labels(CouponStatus, {
    CouponStatus.UNUSED: _l("Unused"), CouponStatus.LOCKED: _l("Held by an unpaid order"),
    CouponStatus.USED: _l("Used"), CouponStatus.EXPIRED: _l("Expired"), CouponStatus.REVOKED: _l("Taken back"),
})


class CouponSource(StrEnum):
    CENTRE = "centre"
    NEW_USER = "new_user"
    MERCHANT = "merchant"
    POINTS = "points"
    INVITEE = "invitee"
    ORDER_GIFT = "order_gift"
    FULL_REDUCTION = "full_reduction"
    LEVEL_MONTHLY = "level_monthly"


COUPON_SOURCE_LABELS = labels(CouponSource, {
    CouponSource.CENTRE: _l("Coupon centre"), CouponSource.NEW_USER: _l("New-user gift pack"),
    CouponSource.MERCHANT: _l("Sent by the merchant"), CouponSource.POINTS: _l("Exchanged for points"),
    CouponSource.INVITEE: _l("Invitee gift"), CouponSource.ORDER_GIFT: _l("Order amount gift"),
    CouponSource.FULL_REDUCTION: _l("Full-reduction gift"),
    CouponSource.LEVEL_MONTHLY: _l("Member level monthly coupon"),
})


class CouponMove(StrEnum):
    CLAIMED = "claimed"
    LOCKED = "locked"
    USED = "used"
    RELEASED = "released"  # its unpaid order closed
    RETURNED = "returned"  # its order was refunded in full before shipping
    REVOKED = "revoked"
    EXPIRED = "expired"


COUPON_MOVE_LABELS = labels(CouponMove, {
    CouponMove.CLAIMED: _l("Received"), CouponMove.LOCKED: _l("Held by an order"), CouponMove.USED: _l("Used"),
    CouponMove.RELEASED: _l("Released by a closed order"), CouponMove.RETURNED: _l("Returned by a refund"),
    CouponMove.REVOKED: _l("Taken back"), CouponMove.EXPIRED: _l("Expired"),
})


class CouponTemplate(TimestampMixin, db.Model):
    """What a coupon is worth, where it applies, how long it lasts and how many may be given."""

    __tablename__ = "coupon_templates"
    __table_args__ = (
        Index("ix_coupon_templates_in_centre_centre_sort", "in_centre", "centre_sort", "id"),
        Index("ix_coupon_templates_kind_id", "kind", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), nullable=False)
    kind: Mapped[str] = mapped_column(String(12), nullable=False, comment="amount_off | rate_off | no_threshold")
    threshold_fen: Mapped[int] = mapped_column(Integer, default=0, nullable=False,
                                               comment="the goods in scope must reach this; 0: none")
    amount_fen: Mapped[int] = mapped_column(Integer, default=0, nullable=False, comment="amount_off, no_threshold")
    rate_bp: Mapped[int] = mapped_column(Integer, default=10_000, nullable=False,
                                         comment="rate_off: price multiplier in basis points, 8500 = 85折")
    cap_fen: Mapped[int | None] = mapped_column(Integer, comment="rate_off: the most it takes off; empty: no cap")
    scope: Mapped[str] = mapped_column(String(16), default="all", nullable=False,
                                       comment="all | products | categories | except_products")
    product_ids: Mapped[list[int]] = mapped_column(JSON, default=list, nullable=False)
    category_ids: Mapped[list[int]] = mapped_column(JSON, default=list, nullable=False)
    validity: Mapped[str] = mapped_column(String(8), default="days", nullable=False, comment="fixed | days")
    valid_from: Mapped[datetime | None] = mapped_column(DateTime, comment="fixed (UTC)")
    valid_until: Mapped[datetime | None] = mapped_column(DateTime, comment="fixed (UTC), exclusive")
    valid_days: Mapped[int] = mapped_column(Integer, default=7, nullable=False, comment="days from receipt")
    total: Mapped[int | None] = mapped_column(Integer, comment="how many may be given; empty: unlimited")
    per_user_limit: Mapped[int | None] = mapped_column(Integer, comment="per shopper in all; empty: unlimited")
    per_user_daily_limit: Mapped[int | None] = mapped_column(Integer, comment="per shopper per Beijing day")
    stacks_with_full_reduction: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False,
                                          comment="off: no more given; coupons held stay usable")
    points_price: Mapped[int] = mapped_column(Integer, default=0, nullable=False,
                                              comment="points to exchange for one; 0: not exchangeable")
    in_centre: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False,
                                            comment="listed in the coupon centre")
    centre_sort: Mapped[int] = mapped_column(Integer, default=0, nullable=False, comment="low first")
    issued: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    used: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    expired: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    revoked: Mapped[int] = mapped_column(Integer, default=0, nullable=False)

    @property
    def left(self) -> int | None:
        return None if self.total is None else max(0, self.total - self.issued)


class Coupon(TimestampMixin, db.Model):
    """One shopper's coupon. `(source, ref)` names why it was given, so a retried gift gives one."""

    __tablename__ = "coupons"
    __table_args__ = (
        UniqueConstraint("source", "ref", name="uq_coupons_source_ref"),
        Index("ix_coupons_user_id_status_valid_until", "user_id", "status", "valid_until"),
        Index("ix_coupons_user_id_status_id", "user_id", "status", "id"),
        Index("ix_coupons_template_id_id", "template_id", "id"),
        Index("ix_coupons_status_valid_until", "status", "valid_until"),
        Index("ix_coupons_order_id", "order_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("coupon_templates.id"), nullable=False)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    status: Mapped[str] = mapped_column(String(8), default=CouponStatus.UNUSED, nullable=False)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"), comment="while locked or used")
    valid_from: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    valid_until: Mapped[datetime] = mapped_column(DateTime, nullable=False, comment="exclusive")
    source: Mapped[str] = mapped_column(String(16), nullable=False)
    ref: Mapped[str] = mapped_column(String(64), nullable=False, comment="unique per source: why it was given")
    used_at: Mapped[datetime | None] = mapped_column(DateTime)

    template: Mapped[CouponTemplate] = relationship(lazy="joined")

    def in_date(self, now: datetime | None = None) -> bool:
        now = now or utcnow()
        return self.valid_from <= now < self.valid_until


class CouponEvent(db.Model):
    """One move of one coupon, with the order it concerned and who moved it."""

    __tablename__ = "coupon_events"
    __table_args__ = (
        Index("ix_coupon_events_coupon_id_id", "coupon_id", "id"),
        Index("ix_coupon_events_template_id_kind_id", "template_id", "kind", "id"),
        Index("ix_coupon_events_order_id", "order_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    coupon_id: Mapped[int] = mapped_column(ForeignKey("coupons.id"), nullable=False)
    template_id: Mapped[int] = mapped_column(ForeignKey("coupon_templates.id"), nullable=False)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    kind: Mapped[str] = mapped_column(String(10), nullable=False,
                                      comment="claimed | locked | used | released | returned | revoked | expired")
    order_id: Mapped[int | None] = mapped_column(ForeignKey("orders.id"))
    actor: Mapped[str] = mapped_column(String(32), default="", nullable=False,
                                       comment="shopper:<id> | staff:<id> | system")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)


class CouponHolding(db.Model):
    """How many of a template one shopper has received in all: the row the per-shopper limit
    is enforced on by a conditional UPDATE (it also answers the centre's "claimed" at once).
    Keyed by shopper first and without foreign keys, so that creating it locks nothing but
    itself (a foreign key's check would share-lock the template row every claim updates)."""

    __tablename__ = "coupon_holdings"

    user_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    template_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    claimed: Mapped[int] = mapped_column(Integer, default=0, nullable=False)


class CouponDailyClaim(db.Model):
    """How many of a template one shopper received on one Beijing day (the per-day limit)."""

    __tablename__ = "coupon_daily_claims"

    user_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    template_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    day: Mapped[date] = mapped_column(Date, primary_key=True, comment="Beijing calendar day")
    claimed: Mapped[int] = mapped_column(Integer, default=0, nullable=False)


class CouponSettings(TimestampMixin, db.Model):
    """The merchant's coupon settings (one row, id 1)."""

    __tablename__ = "coupon_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    return_on_full_refund: Mapped[bool] = mapped_column(
        Boolean, default=True, nullable=False, comment="a coupon comes back when its order is refunded before shipping")
    new_user_template_ids: Mapped[list[int]] = mapped_column(JSON, default=list, nullable=False,
                                                             comment="the new-user gift pack; empty: none")
    invitee_template_id: Mapped[int | None] = mapped_column(ForeignKey("coupon_templates.id"),
                                                            comment="given on an agent's recruit binding")
    order_gift_threshold_fen: Mapped[int] = mapped_column(Integer, default=0, nullable=False,
                                                          comment="orders paying at least this get the gift")
    order_gift_template_id: Mapped[int | None] = mapped_column(ForeignKey("coupon_templates.id"),
                                                               comment="满额赠券, given at completion")
