"""Shoppers and staff accounts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import TimestampMixin, utcnow
from app.extensions import db


class User(TimestampMixin, db.Model):
    """A shopper. One person may arrive through the mini-program, the official account, or
    both; `unionid` (when WeChat gives it) is what merges the two."""

    __tablename__ = "users"
    __table_args__ = (
        Index("ix_users_created_at", "created_at"),  # the dashboard's new shoppers
        Index("ix_users_nickname", "nickname"),  # the console finds agents by the start of a nickname
    )

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
    is_disabled: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False,
                                              comment="disabled by the merchant: cannot log in or buy")

    def touch(self) -> None:
        self.last_seen_at = utcnow()


class Role(TimestampMixin, db.Model):
    """A named set of console permissions. Built-in roles (owner, operator, finance,
    customer service) are created by the seed and cannot be deleted; merchants add custom ones."""

    __tablename__ = "roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    name: Mapped[str] = mapped_column(String(32), nullable=False)
    permissions: Mapped[list[str]] = mapped_column(JSON, default=list, nullable=False,
                                                   comment="areas this role may use, see permissions.AREAS")
    is_builtin: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)


class StaffAccount(TimestampMixin, db.Model):
    """Someone who logs into the merchant console."""

    __tablename__ = "staff_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    display_name: Mapped[str] = mapped_column(String(64), default="", nullable=False)
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    role_id: Mapped[int] = mapped_column(ForeignKey("roles.id"), index=True, nullable=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    auth_version: Mapped[int] = mapped_column(Integer, default=0, nullable=False,
                                              comment="bumped on any privilege change: older sessions end")
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)

    role: Mapped[Role] = relationship(lazy="joined")

    def can(self, area: str) -> bool:
        return self.is_active and area in self.role.permissions
