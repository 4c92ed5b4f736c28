"""Delivery addresses; an order copies the one it uses, so editing it later changes no order."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import TimestampMixin
from app.extensions import db


class Address(TimestampMixin, db.Model):
    __tablename__ = "addresses"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True, nullable=False)
    receiver_name: Mapped[str] = mapped_column(String(32), nullable=False)
    receiver_phone: Mapped[str] = mapped_column(String(20), nullable=False)
    region_code: Mapped[str] = mapped_column(String(12), nullable=False, comment="county-level code")
    region_text: Mapped[str] = mapped_column(String(64), nullable=False, comment="省 市 区, from the region list")
    detail: Mapped[str] = mapped_column(String(128), nullable=False)
    tag: Mapped[str] = mapped_column(String(8), default="", nullable=False, comment="家 / 公司 / 学校")
    is_default: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
