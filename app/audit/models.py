"""The audit log: one row per change a staff member makes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import StaffAccount
from app.core.models import utcnow
from app.extensions import db


class AuditEntry(db.Model):
    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_target", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True, nullable=False)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_accounts.id"), index=True,
                                                 comment="null for changes made by the system")
    area: Mapped[str] = mapped_column(String(32), index=True, nullable=False, comment="permission area")
    action: Mapped[str] = mapped_column(String(64), nullable=False, comment="e.g. role.update, balance.adjust")
    target_type: Mapped[str] = mapped_column(String(32), nullable=False)
    target_id: Mapped[str] = mapped_column(String(64), default="", nullable=False)
    summary: Mapped[str] = mapped_column(String(255), default="", nullable=False)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    ip: Mapped[str] = mapped_column(String(45), default="", nullable=False)

    staff: Mapped[StaffAccount | None] = relationship()
