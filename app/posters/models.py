"""What the merchant sets per template (on/off, default, an uploaded background) and the
scans of poster codes, for the console's report."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import TimestampMixin, utcnow
from app.extensions import db


class PosterTemplateSetting(TimestampMixin, db.Model):
    """A template without a row is enabled and not the default; files define the rest."""

    __tablename__ = "poster_template_settings"

    template_key: Mapped[str] = mapped_column(String(32), primary_key=True, comment="its folder name")
    kind: Mapped[str] = mapped_column(String(8), nullable=False, comment="invite | product, as in the file")
    is_enabled: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False,
                                             comment="at most one per kind (kept by the service)")
    background_key: Mapped[str] = mapped_column(String(255), default="", nullable=False,
                                                comment="storage key of an uploaded background, replacing the file's")


class PosterScan(db.Model):
    """Someone opened an agent's poster code (mini-program scene, official-account QR, or link).

Whether it brought a new shopper is read from the binding it caused, whichever job ran
first: an official-account scan's `bind` event names its touch (even when the fan is bound
later, on joining the mini-program); a mini-program scan binds with the scan's own time."""

    __tablename__ = "poster_scans"
    __table_args__ = (
        Index("ix_poster_scans_template_time", "template_key", "scanned_at"),
        Index("ix_poster_scans_agent_time", "agent_user_id", "scanned_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    template_key: Mapped[str] = mapped_column(String(32), nullable=False)
    agent_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), comment="whose poster; null: none")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True, comment="who scanned, if known")
    product_id: Mapped[int | None] = mapped_column(comment="the product of a share poster")
    source: Mapped[str] = mapped_column(String(12), nullable=False, comment="wxacode | oa_qr | link")
    new_fan: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False,
                                          comment="the scan followed the official account")
    touch_id: Mapped[int | None] = mapped_column(Integer, index=True,
                                                 comment="the official-account scene touch (oa_scene_touches)")
    dedup_key: Mapped[str] = mapped_column(String(160), unique=True, nullable=False,
                                           comment="the scan's identity: a retried event adds no row")
    scanned_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
