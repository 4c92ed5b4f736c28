"""What the time-boxed activities (砍价, 拼团) share on the console side: a status computed from
the stop and the window (coming / live / ended / stopped, never stored), the SQL that filters a
list by it, the list itself, the checks every activity form starts with, and the audited
create and update (terms frozen once shoppers used them).

An activity model here has `stopped_at`, `starts_at` and `ends_at` (UTC, the end exclusive);
its status enum has the members COMING, LIVE, ENDED and STOPPED."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, and_, select

from app.audit import services as audit
from app.audit.services import Actor
from app.catalog.models import Sku
from app.core.errors import Conflict, ValidationError
from app.core.models import utcnow
from app.extensions import db

AREA = "marketing"


def status_of(activity: Any, statuses: type[StrEnum], now: datetime | None = None) -> StrEnum:
    now = now or utcnow()
    if activity.stopped_at is not None:
        return statuses.STOPPED
    if now < activity.starts_at:
        return statuses.COMING
    return statuses.ENDED if now >= activity.ends_at else statuses.LIVE


def status_clause(model: Any, statuses: type[StrEnum], status: str, now: datetime):
    """The SQL condition matching `status_of` (a list's filter)."""
    running = model.stopped_at.is_(None)
    return {
        statuses.STOPPED: model.stopped_at.is_not(None),
        statuses.ENDED: and_(running, model.ends_at <= now),
        statuses.COMING: and_(running, model.starts_at > now),
        statuses.LIVE: and_(running, model.starts_at <= now, model.ends_at > now),
    }[statuses(status)]


def activity_list(model: Any, statuses: type[StrEnum], status: str = "") -> Select:
    """Newest first (a shop runs tens of these; the console pages by id), of one status when
    it names one."""
    statement = select(model).order_by(model.id.desc())
    if status in set(statuses):
        statement = statement.where(status_clause(model, statuses, status, utcnow()))
    return statement


def whole_number(values: dict[str, Any], key: str) -> int:
    """The value when it is an int (not a bool), else -1: out of every range the checks allow."""
    value = values.get(key)
    return value if isinstance(value, int) and not isinstance(value, bool) else -1


def check_name_and_sku(values: dict[str, Any], fields: dict[str, str], clean: dict[str, Any],
                       no_sku: str) -> Sku | None:
    """The name (1–40 characters) and the SKU an activity sells, into `clean`; a message per bad
    field into `fields` (`no_sku` when no SKU was chosen). Returns the SKU."""
    name = (values.get("name") or "").strip()
    if not 1 <= len(name) <= 40:
        fields["name"] = _("Enter a name of at most 40 characters.")
    clean["name"] = name
    sku = db.session.get(Sku, values.get("sku_id")) if isinstance(values.get("sku_id"), int) else None
    if sku is None:
        fields["sku_id"] = no_sku
    clean["sku_id"], clean["product_id"] = (sku.id, sku.product_id) if sku else (None, None)
    return sku


def create_audited(actor: Actor, activity: Any, action: str, target_type: str,
                   snapshot: Callable[[Any], dict[str, Any]]) -> Any:
    """Add a new activity (its values already checked) and audit it whole."""
    db.session.add(activity)
    db.session.flush()
    audit.record(actor, area=AREA, action=action, target_type=target_type, target_id=activity.id,
                 summary=activity.name, after=snapshot(activity))
    return activity


def refuse_if_stopped(activity: Any) -> None:
    if activity.stopped_at is not None:
        raise Conflict(_("A stopped activity can no longer be changed."), code="activity_stopped")


def update_audited(actor: Actor, activity: Any, clean: dict[str, Any], action: str, target_type: str,
                   snapshot: Callable[[Any], dict[str, Any]], *, frozen: tuple[str, ...] = (),
                   frozen_message: str = "") -> Any:
    """Write checked values onto an activity and audit what changed; `frozen` fields (the terms
    shoppers already bought or launched at) may not change: a refusal naming each, nothing written."""
    moved = {key: frozen_message for key in frozen if clean[key] != getattr(activity, key)}
    if moved:
        raise ValidationError(_("Some fields are invalid."), fields=moved)
    before = snapshot(activity)
    for key, value in clean.items():
        setattr(activity, key, value)
    db.session.flush()
    changed_before, changed_after = audit.changed_fields(before, snapshot(activity))
    audit.record(actor, area=AREA, action=action, target_type=target_type, target_id=activity.id,
                 summary=activity.name, before=changed_before, after=changed_after)
    return activity
