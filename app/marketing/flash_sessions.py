"""Flash sale sessions (秒杀场次) as use cases: create, edit, delete — each audited. Enabled
sessions never overlap (a shopper's "now" is one session); a session that an activity still
runs in cannot be deleted. These flush and never commit; the console view commits."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select

from app.audit import services as audit
from app.audit.services import Actor
from app.core.errors import Conflict, ValidationError
from app.extensions import db
from app.marketing.flash_models import FlashActivity, FlashSession

AREA = "marketing"
DAY_MINUTES = 1440


def session_list() -> list[FlashSession]:
    return list(db.session.scalars(select(FlashSession).order_by(FlashSession.start_minute, FlashSession.id)))


def clock(minute: int) -> str:
    """Minutes after midnight as HH:MM (24:00 for the day's end)."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


def validate(values: dict[str, Any], session: FlashSession | None = None) -> dict[str, Any]:
    fields: dict[str, str] = {}
    name = (values.get("name") or "").strip()
    if not 1 <= len(name) <= 20:
        fields["name"] = _("Enter a name of at most 20 characters.")
    start, duration = values.get("start_minute"), values.get("duration_minutes")
    if not isinstance(start, int) or not 0 <= start < DAY_MINUTES:
        fields["start_minute"] = _("Enter the start time.")
    if not isinstance(duration, int) or duration < 1:
        fields["duration_minutes"] = _("Enter how many minutes it lasts.")
    elif isinstance(start, int) and start + duration > DAY_MINUTES:
        fields["duration_minutes"] = _("A session ends by midnight (24:00).")
    enabled = bool(values.get("is_enabled", True))
    if enabled and not fields:
        for other in session_list():
            if other is session or not other.is_enabled:
                continue
            if start < other.end_minute and other.start_minute < start + duration:
                fields["start_minute"] = _("It overlaps %(name)s (%(start)s–%(end)s).", name=other.name,
                                           start=clock(other.start_minute), end=clock(other.end_minute))
                break
    if fields:
        raise ValidationError(_("Some fields are invalid."), fields=fields)
    return {"name": name, "start_minute": start, "duration_minutes": duration, "is_enabled": enabled,
            "sort": int(values.get("sort") or 0)}


def snapshot(session: FlashSession) -> dict[str, Any]:
    return {"name": session.name, "starts": clock(session.start_minute), "ends": clock(session.end_minute),
            "is_enabled": session.is_enabled, "sort": session.sort}


def create_session(actor: Actor, values: dict[str, Any]) -> FlashSession:
    session = FlashSession(**validate(values))
    db.session.add(session)
    db.session.flush()
    audit.record(actor, area=AREA, action="flash_session.create", target_type="flash_session",
                 target_id=session.id, summary=session.name, after=snapshot(session))
    return session


def update_session(actor: Actor, session: FlashSession, values: dict[str, Any]) -> FlashSession:
    clean = validate(values, session)
    before = snapshot(session)
    for key, value in clean.items():
        setattr(session, key, value)
    db.session.flush()
    changed_before, changed_after = audit.changed_fields(before, snapshot(session))
    audit.record(actor, area=AREA, action="flash_session.update", target_type="flash_session",
                 target_id=session.id, summary=session.name, before=changed_before, after=changed_after)
    return session


def activities_using(session_id: int) -> list[FlashActivity]:
    """Activities whose stock is still set aside and that run in the session (tens at most)."""
    open_ones = db.session.scalars(select(FlashActivity).where(FlashActivity.stock_returned_at.is_(None)))
    return [activity for activity in open_ones if session_id in (activity.session_ids or [])]


def delete_session(actor: Actor, session: FlashSession) -> None:
    using = activities_using(session.id)
    if using:
        raise Conflict(_("Activity %(name)s still runs in this session.", name=using[0].name),
                       code="flash_session_in_use")
    audit.record(actor, area=AREA, action="flash_session.delete", target_type="flash_session",
                 target_id=session.id, summary=session.name, before=snapshot(session))
    db.session.delete(session)
    db.session.flush()
