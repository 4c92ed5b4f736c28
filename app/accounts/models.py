"""Shoppers and staff accounts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import TimestampMixin, utcnow
from app.extensions import db


class User(TimestampMixin, db.Model):
    """A shopper. One person may arrive through the mini-program, the official account, or
    both; `unionid` (when WeChat gives it) is what merges the two."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    mp_openid: Mapped[str | None] = mapped_column(String(64), unique=True, comment="mini-program openid")
    oa_openid: Mapped[str | None] = mapped_column(String(64), unique=True, comment="official-account openid")
    unionid: Mapped[str | None] = mapped_column(String(64), unique=True)
    nickname: Mapped[str] = mapped_column(String(64), default="", nullable=False)
    avatar_url: Mapped[str] = mapped_column(String(512), default="", nullable=False)
    phone: Mapped[str | None] = mapped_column(String(20), index=True)
    is_test: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False,
                                          comment="created by the sandbox dev login or the demo seed")
    token_version: Mapped[int] = mapped_column(Integer, default=0, nullable=False,
                                               comment="bump to revoke every token issued so far")
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTime)

    def touch(self) -> None:
        self.last_seen_at = utcnow()


class StaffAccount(TimestampMixin, db.Model):
    """Someone who logs into the merchant console."""

    __tablename__ = "staff_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    display_name: Mapped[str] = mapped_column(String(64), default="", nullable=False)
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    role: Mapped[str] = mapped_column(String(32), default="owner", nullable=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)
