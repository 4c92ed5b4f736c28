"""Member levels, wallets and their ledgers.

A wallet's balance and points only change together with a ledger row in the same
transaction, and never below zero (a check constraint backs the service's own check).
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.core.labels import labels
from app.core.models import TimestampMixin, utcnow
from app.extensions import db


class WalletChange(StrEnum):
    """What changed a balance or points (`balance_entries.kind`, `points_entries.kind`)."""

    ADMIN_ADJUST = "admin_adjust"
    ORDER_PAY = "order_pay"
    ORDER_REFUND = "order_refund"
    COMMISSION_WITHDRAWAL = "commission_withdrawal"
    FAN_REWARD = "fan_reward"
    DEMO_TOP_UP = "demo_top_up"
    SIGN_IN = "sign_in"
    ORDER_POINTS_SPENT = "order_points_spent"
    ORDER_POINTS_RETURNED = "order_points_returned"
    ORDER_POINTS_EARNED = "order_points_earned"
    ORDER_POINTS_CLAWED_BACK = "order_points_clawed_back"
    POINTS_EXPIRED = "points_expired"
    COUPON_EXCHANGE = "coupon_exchange"
    ORDER_GIFT_POINTS = "order_gift_points"
    ORDER_GIFT_POINTS_TAKEN_BACK = "order_gift_points_taken_back"


WALLET_CHANGE_LABELS = labels(WalletChange, {
    WalletChange.ADMIN_ADJUST: _l("Adjusted by the merchant"), WalletChange.ORDER_PAY: _l("Order paid"),
    WalletChange.ORDER_REFUND: _l("Order refunded"), WalletChange.COMMISSION_WITHDRAWAL: _l("Commission withdrawn"),
    WalletChange.FAN_REWARD: _l("New shopper brought in"), WalletChange.DEMO_TOP_UP: _l("Demo top-up"),
    WalletChange.SIGN_IN: _l("Daily sign-in"), WalletChange.ORDER_POINTS_SPENT: _l("Spent on an order"),
    WalletChange.ORDER_POINTS_RETURNED: _l("Returned from an order"),
    WalletChange.ORDER_POINTS_EARNED: _l("Earned by an order"),
    WalletChange.ORDER_POINTS_CLAWED_BACK: _l("Taken back by a refund"), WalletChange.POINTS_EXPIRED: _l("Expired"),
    WalletChange.COUPON_EXCHANGE: _l("Exchanged for a coupon"),
    WalletChange.ORDER_GIFT_POINTS: _l("Activity gift with an order"),
    WalletChange.ORDER_GIFT_POINTS_TAKEN_BACK: _l("Activity gift taken back by a refund"),
})


class MemberLevel(TimestampMixin, db.Model):
    """普通会员 / 银卡 / 金卡 …: reached by growth (成长值), giving a discount and benefits.

    A level with a growth threshold is reached automatically when a shopper's growth gets
    there (app/members/growth.py); one without is only given by the merchant by hand."""

    __tablename__ = "member_levels"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    growth_threshold: Mapped[int | None] = mapped_column(
        Integer, comment="growth that reaches this level automatically; NULL: given by the merchant only")
    discount_bp: Mapped[int] = mapped_column(Integer, default=10_000, nullable=False,
                                             comment="price multiplier in basis points: 9500 = 95折")
    points_multiplier_bp: Mapped[int] = mapped_column(Integer, default=10_000, nullable=False,
                                                      comment="points earned × this / 10000: 15000 = 1.5倍积分")
    free_shipping: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False,
                                                comment="delivery is free for this level's orders")
    monthly_coupon_template_id: Mapped[int | None] = mapped_column(
        Integer, comment="a coupon template given each month (no foreign key until coupons are merged)")
    badge_url: Mapped[str] = mapped_column(String(512), default="", server_default="", nullable=False,
                                           comment="the level's badge picture, from the media library")
    benefits: Mapped[str] = mapped_column(Text, default="", nullable=False)


class Wallet(TimestampMixin, db.Model):
    """One per shopper: stored balance and points, with the level they have reached."""

    __tablename__ = "wallets"
    __table_args__ = (
        CheckConstraint("balance_fen >= 0", name="balance_not_negative"),
        CheckConstraint("points >= 0", name="points_not_negative"),
        # the console's members by balance / by points (keyset pages down the index)
        Index("ix_wallets_balance_fen_user_id", "balance_fen", "user_id"),
        Index("ix_wallets_points_user_id", "points", "user_id"),
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True)
    balance_fen: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    points: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    total_spent_fen: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    growth: Mapped[int] = mapped_column(Integer, default=0, nullable=False,
                                        comment="成长值: the sum of growth_entries (flask members verify)")
    level_id: Mapped[int | None] = mapped_column(ForeignKey("member_levels.id"), index=True)

    user: Mapped[User] = relationship()
    level: Mapped[MemberLevel | None] = relationship()


class _LedgerColumns:
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True, nullable=False)
    kind: Mapped[str] = mapped_column(String(32), nullable=False, comment="admin_adjust, order_pay, refund, …")
    ref: Mapped[str] = mapped_column(String(64), nullable=False,
                                     comment="what caused it; unique per kind, so a replay cannot apply twice")
    reason: Mapped[str] = mapped_column(String(255), default="", nullable=False)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_accounts.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)


class BalanceEntry(_LedgerColumns, db.Model):
    __tablename__ = "balance_entries"
    __table_args__ = (UniqueConstraint("kind", "ref", name="uq_balance_entries_kind_ref"),)

    delta_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    balance_after_fen: Mapped[int] = mapped_column(Integer, nullable=False)


class PointsEntry(_LedgerColumns, db.Model):
    __tablename__ = "points_entries"
    __table_args__ = (UniqueConstraint("kind", "ref", name="uq_points_entries_kind_ref"),)

    delta: Mapped[int] = mapped_column(Integer, nullable=False)
    points_after: Mapped[int] = mapped_column(Integer, nullable=False)


class GrowthEntry(_LedgerColumns, db.Model):
    """One change of a shopper's growth (成长值): earned by an order or a sign-in, clawed back by
    a refund, expired by the yearly review, or adjusted by the merchant."""

    __tablename__ = "growth_entries"
    __table_args__ = (UniqueConstraint("kind", "ref", name="uq_growth_entries_kind_ref"),)

    delta: Mapped[int] = mapped_column(Integer, nullable=False)
    growth_after: Mapped[int] = mapped_column(Integer, nullable=False)
    order_id: Mapped[int | None] = mapped_column(Integer, index=True,
                                                 comment="the order it was earned on or clawed back from")
    basis_fen: Mapped[int] = mapped_column(Integer, default=0, nullable=False,
                                           comment="goods fen it counts: paid (order), refunded (refund)")
