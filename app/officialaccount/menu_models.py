"""The official account's custom menu (自定义菜单), stored as the tree WeChat takes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import TimestampMixin
from app.extensions import db


class OfficialAccountMenu(TimestampMixin, db.Model):
    """The menu the merchant edits and publishes; after a publish or pull it holds what WeChat
    says it has."""

    __tablename__ = "oa_menus"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(32), unique=True, nullable=False, default="default",
                                      comment="'default': the menu every fan sees")
    buttons: Mapped[list[dict]] = mapped_column(JSON, default=list, nullable=False,
                                                comment="WeChat's button tree, validated")
    published_at: Mapped[datetime | None] = mapped_column(DateTime, comment="last successful menu/create")
    pulled_at: Mapped[datetime | None] = mapped_column(DateTime, comment="last read back with menu/get")
    published_buttons: Mapped[list[dict] | None] = mapped_column(
        JSON, comment="what WeChat had after the last publish or pull; None: never published or pulled")
