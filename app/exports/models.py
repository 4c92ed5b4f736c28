"""An export a staff member asked for: what to export, how far the job got, where the file is."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import StaffAccount
from app.core.models import TimestampMixin
from app.exports.states import ExportStatus
from app.extensions import db


class ExportJob(TimestampMixin, db.Model):
    __tablename__ = "export_jobs"
    __table_args__ = (Index("ix_export_jobs_staff_id_id", "staff_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), nullable=False, comment="what is exported, e.g. orders")
    params: Mapped[dict] = mapped_column(JSON, default=dict, nullable=False,
                                         comment="{filter: the list's filter arguments as typed}")
    status: Mapped[str] = mapped_column(String(16), default=ExportStatus.QUEUED, nullable=False)
    done_rows: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    total_rows: Mapped[int] = mapped_column(Integer, default=0, nullable=False,
                                            comment="counted when the job starts; set to done_rows at the end")
    file_key: Mapped[str] = mapped_column(String(255), default="", nullable=False,
                                          comment="in the private storage, once done")
    error: Mapped[str] = mapped_column(String(500), default="", nullable=False)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_accounts.id"), nullable=False)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)

    staff: Mapped[StaffAccount] = relationship()
