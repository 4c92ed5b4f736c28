"""Reading and changing the points rules (one row, created with defaults when first saved).

Checkout reads the rules on every preview, so reading never writes: without a saved row the
defaults apply (points off)."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError

from app.audit import services as audit
from app.audit.services import Actor
from app.core.errors import Conflict, ValidationError
from app.extensions import db
from app.marketing.points_models import RULES_ID, PointsRules

EDITABLE = ("deduction_enabled", "points_per_yuan", "max_deduction_percent", "min_order_fen", "earning_enabled",
            "earn_points_per_yuan", "expiry_enabled", "count_as_paid")
MAX_POINTS_PER_YUAN = 100_000


def defaults() -> PointsRules:
    return PointsRules(id=RULES_ID, deduction_enabled=False, points_per_yuan=100, max_deduction_percent=50,
                       min_order_fen=0, earning_enabled=False, earn_points_per_yuan=1, expiry_enabled=False,
                       count_as_paid=False, expired_through_year=0)


def current() -> PointsRules:
    """The rules in force: the saved row, or the defaults (not added to the session)."""
    return db.session.get(PointsRules, RULES_ID) or defaults()


def saved() -> PointsRules:
    """The row, created with the defaults if it does not exist yet (for changing it)."""
    row = db.session.get(PointsRules, RULES_ID)
    if row is not None:
        return row
    row = defaults()
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError as exc:  # created by a concurrent transaction: let the caller run again
        raise Conflict(_("Please try again."), code="retry") from exc
    return row


def check(values: dict[str, Any]) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not isinstance(values["points_per_yuan"], int) or not 1 <= values["points_per_yuan"] <= MAX_POINTS_PER_YUAN:
        errors["points_per_yuan"] = _("Between %(low)s and %(high)s.", low=1, high=MAX_POINTS_PER_YUAN)
    if not isinstance(values["max_deduction_percent"], int) or not 1 <= values["max_deduction_percent"] <= 100:
        errors["max_deduction_percent"] = _("Between %(low)s and %(high)s.", low=1, high=100)
    if not isinstance(values["min_order_fen"], int) or not 0 <= values["min_order_fen"] <= 100_000_000:
        errors["min_order_fen"] = _("Must be at least %(n)s.", n=0)
    if not isinstance(values["earn_points_per_yuan"], int) or not 0 <= values["earn_points_per_yuan"] <= 1000:
        errors["earn_points_per_yuan"] = _("Between %(low)s and %(high)s.", low=0, high=1000)
    return errors


def snapshot(row: PointsRules) -> dict[str, Any]:
    return {field: getattr(row, field) for field in EDITABLE}


def update(actor: Actor, values: dict[str, Any]) -> PointsRules:
    """Save the rules (every EDITABLE field), audited with what changed."""
    errors = check(values)
    if errors:
        raise ValidationError(_("Some fields are invalid."), fields=errors)
    row = saved()
    before = snapshot(row)
    for field in EDITABLE:
        setattr(row, field, values[field])
    db.session.flush()
    changed_before, changed_after = audit.changed_fields(before, snapshot(row))
    audit.record(actor, area="marketing", action="points_rules.update", target_type="points_rules",
                 target_id=RULES_ID, summary=_("Points rules"), before=changed_before, after=changed_after)
    return row
