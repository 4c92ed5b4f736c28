"""Points and sign-in tables: the merchant's points rules and sign-in rules (one row each),
the shoppers' sign-ins (one per Beijing day), and per order what its points did (spent,
returned, earned, clawed back) — counters kept with the order's row locked, so a refund's
share of the points is computed from what earlier refunds already gave back.

The points themselves live in the members' wallets and ledger (`points_entries`); these
rows only say why and how much."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Index, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import TimestampMixin, utcnow
from app.extensions import db

RULES_ID = 1


class PointsRules(TimestampMixin, db.Model):
    """How points are spent, earned and expire; one row (id 1)."""

    __tablename__ = "points_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    deduction_enabled: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    points_per_yuan: Mapped[int] = mapped_column(Integer, default=100, nullable=False,
                                                 comment="N points deduct ¥1 at checkout")
    max_deduction_percent: Mapped[int] = mapped_column(Integer, default=50, nullable=False,
                                                       comment="points pay at most this % of the goods")
    min_order_fen: Mapped[int] = mapped_column(Integer, default=0, nullable=False,
                                               comment="goods below this amount cannot use points")
    earning_enabled: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    earn_points_per_yuan: Mapped[int] = mapped_column(Integer, default=1, nullable=False,
                                                      comment="points per ¥1 of goods paid, at completion")
    expiry_enabled: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False,
                                                 comment="points earned in a year expire at the end of the next")
    count_as_paid: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False,
                                                comment="commission counts points deduction as money paid")
    expired_through_year: Mapped[int] = mapped_column(Integer, default=0, nullable=False,
                                                      comment="the last earning year the expiry job finished")


class SignInRules(TimestampMixin, db.Model):
    """Daily sign-in: base points, and extra points on day N of a streak; one row (id 1)."""

    __tablename__ = "sign_in_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    base_points: Mapped[int] = mapped_column(Integer, default=5, nullable=False)
    streak_rewards: Mapped[list[dict]] = mapped_column(JSON, default=list, nullable=False,
                                                       comment='[{"day": 3, "points": 5}, …]: extra on day N')


class SignIn(db.Model):
    """One shopper's sign-in on one Beijing day (unique: a double tap signs in once)."""

    __tablename__ = "sign_ins"
    __table_args__ = (UniqueConstraint("user_id", "day", name="uq_sign_ins_user_day"),
                      Index("ix_sign_ins_day_id", "day", "id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    day: Mapped[date] = mapped_column(Date, nullable=False, comment="Beijing calendar day")
    streak: Mapped[int] = mapped_column(Integer, nullable=False, comment="days in a row, this one included")
    points: Mapped[int] = mapped_column(Integer, nullable=False, comment="base + streak reward given")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)


class OrderPoints(TimestampMixin, db.Model):
    """What one order's points did. `returned_by_item` maps an order item id to the points of
    its share already given back by its refunds (a refund's share is cumulative: the target
    for all refunds so far minus this)."""

    __tablename__ = "order_points"

    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True, nullable=False)
    spent: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    returned: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    returned_by_item: Mapped[dict] = mapped_column(JSON, default=dict, nullable=False)
    earned: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    earned_base_fen: Mapped[int] = mapped_column(Integer, default=0, nullable=False,
                                                 comment="goods paid (less refunds) when the points were earned")
    refunded_at_earning_fen: Mapped[int] = mapped_column(Integer, default=0, nullable=False,
                                                         comment="goods already refunded when the points were earned")
    clawed_back: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    clawback_shortfall: Mapped[int] = mapped_column(Integer, default=0, nullable=False,
                                                    comment="points owed back but already spent")
