"""Shipping templates: a default rule, rules per region and free-shipping rules.

Amounts are in the template's unit: pieces when it charges by count, grams by weight.
"""

from __future__ import annotations

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import TimestampMixin
from app.extensions import db

BY_COUNT = "count"
BY_WEIGHT = "weight"
METHODS = (BY_COUNT, BY_WEIGHT)
FREE_CONDITIONS = ("amount", "count", "weight")


class ShippingTemplate(TimestampMixin, db.Model):
    __tablename__ = "shipping_templates"
    __table_args__ = (
        CheckConstraint("first_amount >= 1", name="first_amount_positive"),
        CheckConstraint("first_fee_fen >= 0 AND additional_fee_fen >= 0", name="fees_not_negative"),
        CheckConstraint("additional_amount >= 0", name="additional_amount_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(32), nullable=False)
    method: Mapped[str] = mapped_column(String(8), nullable=False, comment="count | weight")
    first_amount: Mapped[int] = mapped_column(Integer, nullable=False, comment="pieces or grams in the first fee")
    first_fee_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    additional_amount: Mapped[int] = mapped_column(Integer, nullable=False,
                                                   comment="each further step, pieces or grams; 0: no more")
    additional_fee_fen: Mapped[int] = mapped_column(Integer, nullable=False)

    region_rules: Mapped[list[ShippingRegionRule]] = relationship(
        order_by="ShippingRegionRule.id", cascade="all, delete-orphan", back_populates="template")
    free_rules: Mapped[list[ShippingFreeRule]] = relationship(
        order_by="ShippingFreeRule.id", cascade="all, delete-orphan", back_populates="template")


class ShippingRegionRule(db.Model):
    """Charges for some provinces/cities instead of the default rule (a city beats its province)."""

    __tablename__ = "shipping_region_rules"
    __table_args__ = (
        CheckConstraint("first_amount >= 1", name="first_amount_positive"),
        CheckConstraint("first_fee_fen >= 0 AND additional_fee_fen >= 0", name="fees_not_negative"),
        CheckConstraint("additional_amount >= 0", name="additional_amount_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("shipping_templates.id"), index=True, nullable=False)
    region_codes: Mapped[list[str]] = mapped_column(JSON, default=list, nullable=False,
                                                    comment="GB/T 2260 province or city codes")
    first_amount: Mapped[int] = mapped_column(Integer, nullable=False)
    first_fee_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    additional_amount: Mapped[int] = mapped_column(Integer, nullable=False)
    additional_fee_fen: Mapped[int] = mapped_column(Integer, nullable=False)

    template: Mapped[ShippingTemplate] = relationship(back_populates="region_rules")


class ShippingFreeRule(db.Model):
    """Free shipping when this template's lines reach a threshold (in the listed regions, or anywhere)."""

    __tablename__ = "shipping_free_rules"
    __table_args__ = (CheckConstraint("threshold >= 1", name="threshold_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[int] = mapped_column(ForeignKey("shipping_templates.id"), index=True, nullable=False)
    region_codes: Mapped[list[str]] = mapped_column(JSON, default=list, nullable=False,
                                                    comment="empty: every region")
    condition: Mapped[str] = mapped_column(String(8), nullable=False, comment="amount | count | weight")
    threshold: Mapped[int] = mapped_column(Integer, nullable=False, comment="fen, pieces or grams")

    template: Mapped[ShippingTemplate] = relationship(back_populates="free_rules")
