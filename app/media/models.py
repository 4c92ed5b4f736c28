"""The media library (图片空间): folders, the pictures uploaded into them, and which records
use which picture, so a picture still shown somewhere is never deleted."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import utcnow
from app.extensions import db


class MediaFolder(db.Model):
    """A folder of pictures; one level of subfolders is enough for a shop's library."""

    __tablename__ = "media_folders"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("media_folders.id"), index=True)
    name: Mapped[str] = mapped_column(String(32), nullable=False)
    sort: Mapped[int] = mapped_column(Integer, default=0, nullable=False, comment="larger shows first")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)


class MediaFile(db.Model):
    """One uploaded picture, re-encoded (EXIF gone, orientation applied) with a thumbnail and
    a web size; the storage keys are generated from its content, never from its name."""

    __tablename__ = "media_files"
    __table_args__ = (
        Index("ix_media_files_folder", "folder_id", "id"),
        Index("ix_media_files_name", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    folder_id: Mapped[int | None] = mapped_column(ForeignKey("media_folders.id"), comment="none: 未分组")
    name: Mapped[str] = mapped_column(String(100), nullable=False,
                                      comment="shown and searched; the merchant renames it")
    original_name: Mapped[str] = mapped_column(String(255), default="", nullable=False,
                                               comment="as uploaded, sanitised; never part of a storage key")
    storage_key: Mapped[str] = mapped_column(String(255), unique=True, nullable=False)
    url: Mapped[str] = mapped_column(String(512), nullable=False, comment="the re-encoded full size")
    web_url: Mapped[str] = mapped_column(String(512), nullable=False,
                                         comment="at most 1080 px wide: what forms store")
    thumb_url: Mapped[str] = mapped_column(String(512), nullable=False)
    mime: Mapped[str] = mapped_column(String(32), nullable=False)
    bytes: Mapped[int] = mapped_column(Integer, nullable=False, comment="of the re-encoded full size")
    width: Mapped[int] = mapped_column(Integer, nullable=False)
    height: Mapped[int] = mapped_column(Integer, nullable=False)
    sha256: Mapped[str] = mapped_column(String(64), unique=True, nullable=False, comment="of the uploaded bytes")
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_accounts.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)

    def urls(self) -> tuple[str, str, str]:
        return self.url, self.web_url, self.thumb_url


class MediaUsage(db.Model):
    """A picture URL some record shows (a product's gallery, a category's icon …), kept by the
    owning domain's save function: "used by N" and the delete check read it by exact URL."""

    __tablename__ = "media_usages"
    __table_args__ = (Index("ix_media_usages_owner", "owner_type", "owner_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(512), index=True, nullable=False)
    owner_type: Mapped[str] = mapped_column(String(16), nullable=False, comment="product | category …")
    owner_id: Mapped[int] = mapped_column(Integer, nullable=False)
    owner_label: Mapped[str] = mapped_column(String(120), default="", nullable=False,
                                             comment="the owner's title when it was saved, for the console")
