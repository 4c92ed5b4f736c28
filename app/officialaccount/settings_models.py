"""What the merchant configures for the official account as a whole: one row."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import TimestampMixin
from app.extensions import db

MESSAGE_MODES = ("plain", "compatible", "safe")
_modes_sql = ", ".join(f"'{mode}'" for mode in MESSAGE_MODES)


class OaSettings(TimestampMixin, db.Model):
    """The single settings row (id 1); absent until the merchant first saves (see settings.py)."""

    __tablename__ = "oa_settings"
    __table_args__ = (CheckConstraint(f"message_mode IN ({_modes_sql})", name="message_mode"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    message_mode: Mapped[str] = mapped_column(
        String(16), nullable=False,
        comment="plain | compatible | safe: WeChat's 消息加解密方式, the same as set on mp.weixin.qq.com")
