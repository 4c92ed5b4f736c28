"""Subscribe messages (订阅消息): the merchant's templates and every message we send."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import TimestampMixin
from app.extensions import db


class SubscribeTemplate(TimestampMixin, db.Model):
    """Which mini-program template carries one kind of event, and how our values fill it."""

    __tablename__ = "subscribe_templates"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), unique=True, nullable=False,
                                      comment="order_shipped, commission_credited or withdrawal_result")
    template_id: Mapped[str] = mapped_column(String(128), nullable=False,
                                             comment="from the mini-program console (订阅消息 → 我的模板)")
    page: Mapped[str] = mapped_column(String(255), default="", nullable=False,
                                      comment="page the message opens; {name} is replaced by that value")
    fields: Mapped[dict[str, str]] = mapped_column(JSON, default=dict, nullable=False,
                                                   comment="template key (thing1, amount2…) → value name")
    is_enabled: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)


class SubscribeMessage(TimestampMixin, db.Model):
    """One message to one user; sent at most once (see states.py)."""

    __tablename__ = "subscribe_messages"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'sent', 'refused', 'failed')", name="status_known"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True, nullable=False)
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    template_id: Mapped[str] = mapped_column(String(128), nullable=False, comment="as configured when queued")
    page: Mapped[str] = mapped_column(String(255), default="", nullable=False)
    data: Mapped[dict] = mapped_column(JSON, default=dict, nullable=False, comment="WeChat's data, as sent")
    status: Mapped[str] = mapped_column(String(16), default="pending", nullable=False,
                                        comment="pending → sent | refused (43101) | failed")
    errcode: Mapped[int | None] = mapped_column(Integer, comment="WeChat's errcode of the last attempt")
    errmsg: Mapped[str] = mapped_column(String(255), default="", nullable=False)
    attempts: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    dedupe_key: Mapped[str | None] = mapped_column(String(128), unique=True,
                                                   comment="the caller's key: one message per event")
