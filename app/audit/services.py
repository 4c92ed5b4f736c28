"""Recording changes, in the same transaction as the change itself."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, select

from app.audit.models import AuditEntry
from app.extensions import db


@dataclass(frozen=True)
class Actor:
    """Who acts: a staff member (by id) from an address; None staff_id is the system."""

    staff_id: int | None
    ip: str = ""


SYSTEM = Actor(None)


def record(actor: Actor, *, area: str, action: str, target_type: str, target_id: Any = "",
           summary: str = "", before: dict[str, Any] | None = None,
           after: dict[str, Any] | None = None) -> AuditEntry | None:
    """Add an audit row; nothing is recorded when before and after are the same."""
    if before is not None and after is not None and before == after:
        return None
    entry = AuditEntry(staff_id=actor.staff_id, ip=actor.ip, area=area, action=action,
                       target_type=target_type, target_id=str(target_id), summary=summary[:255],
                       before=before, after=after)
    db.session.add(entry)
    db.session.flush()
    return entry


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose values differ, so the log shows what actually changed."""
    keys = [key for key in after if before.get(key) != after.get(key)]
    return {key: before.get(key) for key in keys}, {key: after[key] for key in keys}


def search(*, area: str | None = None, staff_id: int | None = None, action: str | None = None,
           since: datetime | None = None, until: datetime | None = None) -> Select:
    statement = select(AuditEntry).order_by(AuditEntry.id.desc())
    if area:
        statement = statement.where(AuditEntry.area == area)
    if staff_id:
        statement = statement.where(AuditEntry.staff_id == staff_id)
    if action:
        statement = statement.where(AuditEntry.action.contains(action, autoescape=True))
    if since:
        statement = statement.where(AuditEntry.created_at >= since)
    if until:
        statement = statement.where(AuditEntry.created_at < until)
    return statement
