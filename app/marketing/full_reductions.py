"""Full-reduction activities as use cases: create, edit, enable or disable — each audited —
and what the console lists.

These flush and never commit; the console view commits. The values come as the form reads
them (Beijing times already turned into naive UTC, yuan into fen, rates into basis points).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, and_, select

from app.audit import services as audit
from app.audit.services import Actor
from app.catalog.models import Category, Product
from app.core.china_time import format_beijing
from app.core.errors import ValidationError
from app.core.models import utcnow
from app.core.money import BASIS_POINTS
from app.extensions import db
from app.marketing.coupon_models import CouponTemplate
from app.marketing.full_reduction_models import (
    ActivityScope,
    ActivityStatus,
    FullReductionActivity,
    FullReductionTier,
    TierBasis,
)

MAX_TIERS = 5
MAX_SCOPE_IDS = 500
MAX_THRESHOLD = {TierBasis.AMOUNT: 100_000_000, TierBasis.COUNT: 999}
MAX_POINTS = 1_000_000
AREA = "marketing"


def status_of(activity: FullReductionActivity, now: datetime | None = None) -> ActivityStatus:
    """An ended activity reads as ended whether or not it was disabled; otherwise a disabled
    one reads as disabled, then the window decides."""
    now = now or utcnow()
    if activity.ends_at <= now:
        return ActivityStatus.ENDED
    if not activity.is_enabled:
        return ActivityStatus.DISABLED
    return ActivityStatus.NOT_STARTED if activity.starts_at > now else ActivityStatus.RUNNING


def status_clause(status: str, now: datetime):
    """The SQL condition matching `status_of` (for the list's filter)."""
    activity = FullReductionActivity
    return {
        ActivityStatus.ENDED: activity.ends_at <= now,
        ActivityStatus.DISABLED: and_(activity.is_enabled.is_(False), activity.ends_at > now),
        ActivityStatus.NOT_STARTED: and_(activity.is_enabled.is_(True), activity.starts_at > now),
        ActivityStatus.RUNNING: and_(activity.is_enabled.is_(True), activity.starts_at <= now,
                                     activity.ends_at > now),
    }[ActivityStatus(status)]


def activity_list(*, status: str = "", basis: str = "") -> Select:
    """Newest first (the console pages it by id; a shop has tens of activities)."""
    statement = select(FullReductionActivity).order_by(FullReductionActivity.id.desc())
    if status in set(ActivityStatus):
        statement = statement.where(status_clause(status, utcnow()))
    if basis in set(TierBasis):
        statement = statement.where(FullReductionActivity.basis == basis)
    return statement


def _fail(fields: dict[str, str]) -> None:
    if fields:
        raise ValidationError(_("Some fields are invalid."), fields=fields)


def _clean_tiers(basis: str, tiers: list[dict[str, Any]], fields: dict[str, str]) -> list[dict[str, Any]]:
    if not tiers:
        fields["tiers"] = _("Add at least one tier.")
    elif len(tiers) > MAX_TIERS:
        fields["tiers"] = _("At most %(n)s tiers.", n=MAX_TIERS)
    clean, seen = [], set()
    ceiling = MAX_THRESHOLD.get(TierBasis(basis), 0) if basis in set(TierBasis) else 0
    for index, tier in enumerate(tiers[:MAX_TIERS]):
        prefix = f"tiers.{index}."
        threshold, off_fen = int(tier.get("threshold") or 0), int(tier.get("off_fen") or 0)
        pay_rate_bp = int(tier.get("pay_rate_bp") or BASIS_POINTS)
        points = int(tier.get("points") or 0)
        free_shipping = bool(tier.get("free_shipping"))
        if not 1 <= threshold <= max(ceiling, 1):
            fields[f"{prefix}threshold"] = _("Enter a threshold above zero.") if threshold < 1 else \
                _("The threshold is too large.")
        elif threshold in seen:
            fields[f"{prefix}threshold"] = _("Two tiers have the same threshold.")
        seen.add(threshold)
        if off_fen < 0 or (basis == TierBasis.AMOUNT and off_fen >= threshold >= 1):
            fields[f"{prefix}off_fen"] = _("The amount off must be above zero and below the threshold.")
        if not 1 <= pay_rate_bp <= BASIS_POINTS:
            fields[f"{prefix}pay_rate_bp"] = _("Enter a rate between 0.1 and 9.9 (折).")
        if off_fen and pay_rate_bp < BASIS_POINTS:
            fields[f"{prefix}off_fen"] = _("A tier takes an amount off or a rate off, not both.")
        if not 0 <= points <= MAX_POINTS:
            fields[f"{prefix}points"] = _("Enter at most %(n)s points.", n=MAX_POINTS)
        gift = tier.get("gift_coupon_template_id") or None
        if gift is not None and db.session.get(CouponTemplate, gift) is None:
            fields[f"{prefix}gift_coupon_template_id"] = _("This coupon does not exist.")
        if not (off_fen or pay_rate_bp < BASIS_POINTS or free_shipping or points or gift):
            fields[f"{prefix}threshold"] = _("Give this tier something: an amount or rate off, free shipping, "
                                             "points or a coupon.")
        clean.append({"threshold": threshold, "off_fen": off_fen, "pay_rate_bp": pay_rate_bp,
                      "free_shipping": free_shipping, "points": points, "gift_coupon_template_id": gift})
    return sorted(clean, key=lambda tier: tier["threshold"])


def validate(values: dict[str, Any]) -> dict[str, Any]:
    """The values checked and tidied; ValidationError naming each bad field (tiers as
    tiers.<index>.<field>)."""
    fields: dict[str, str] = {}
    name = (values.get("name") or "").strip()
    if not 1 <= len(name) <= 40:
        fields["name"] = _("Enter a name of at most 40 characters.")
    starts_at, ends_at = values.get("starts_at"), values.get("ends_at")
    if not isinstance(starts_at, datetime):
        fields["starts_at"] = _("Enter the start time.")
    if not isinstance(ends_at, datetime):
        fields["ends_at"] = _("Enter the end time.")
    elif isinstance(starts_at, datetime) and ends_at <= starts_at:
        fields["ends_at"] = _("The end must be after the start.")
    scope, basis = values.get("scope", ""), values.get("basis", "")
    if scope not in set(ActivityScope):
        fields["scope"] = _("Choose which products take part.")
    if basis not in set(TierBasis):
        fields["basis"] = _("Choose whether tiers count the amount or the pieces.")
    scope_ids = list(dict.fromkeys(int(item) for item in values.get("scope_ids") or []))
    if scope in set(ActivityScope) and scope != ActivityScope.ALL:
        model = Category if scope == ActivityScope.CATEGORIES else Product
        if not scope_ids:
            fields["scope_ids"] = _("Choose at least one.")
        elif len(scope_ids) > MAX_SCOPE_IDS:
            fields["scope_ids"] = _("Choose at most %(n)s.", n=MAX_SCOPE_IDS)
        else:
            known = set(db.session.scalars(select(model.id).where(model.id.in_(scope_ids))))
            if set(scope_ids) - known:
                fields["scope_ids"] = _("Some of the chosen ones no longer exist.")
    else:
        scope_ids = []
    tiers = _clean_tiers(basis, list(values.get("tiers") or []), fields)
    _fail(fields)
    return {"name": name, "starts_at": starts_at, "ends_at": ends_at, "scope": scope, "scope_ids": scope_ids,
            "basis": basis, "is_enabled": bool(values.get("is_enabled", True)), "tiers": tiers}


def snapshot(activity: FullReductionActivity) -> dict[str, Any]:
    """What the audit log keeps of an activity (times in Beijing time)."""
    return {"name": activity.name, "starts_at": format_beijing(activity.starts_at),
            "ends_at": format_beijing(activity.ends_at), "is_enabled": activity.is_enabled,
            "scope": activity.scope, "scope_ids": list(activity.scope_ids or []), "basis": activity.basis,
            "tiers": [{"threshold": tier.threshold, "off_fen": tier.off_fen, "pay_rate_bp": tier.pay_rate_bp,
                       "free_shipping": tier.free_shipping, "points": tier.points,
                       "gift_coupon_template_id": tier.gift_coupon_template_id} for tier in activity.tiers]}


def _apply(activity: FullReductionActivity, clean: dict[str, Any]) -> None:
    for key in ("name", "starts_at", "ends_at", "scope", "scope_ids", "basis", "is_enabled"):
        setattr(activity, key, clean[key])
    activity.tiers = [FullReductionTier(**tier) for tier in clean["tiers"]]


def create_activity(actor: Actor, values: dict[str, Any]) -> FullReductionActivity:
    clean = validate(values)
    activity = FullReductionActivity()
    _apply(activity, clean)
    db.session.add(activity)
    db.session.flush()
    audit.record(actor, area=AREA, action="full_reduction.create", target_type="full_reduction",
                 target_id=activity.id, summary=activity.name, after=snapshot(activity))
    return activity


def update_activity(actor: Actor, activity: FullReductionActivity, values: dict[str, Any]) -> FullReductionActivity:
    clean = validate({**values, "is_enabled": activity.is_enabled})
    before = snapshot(activity)
    _apply(activity, clean)
    db.session.flush()
    changed_before, changed_after = audit.changed_fields(before, snapshot(activity))
    audit.record(actor, area=AREA, action="full_reduction.update", target_type="full_reduction",
                 target_id=activity.id, summary=activity.name, before=changed_before, after=changed_after)
    return activity


def set_enabled(actor: Actor, activity: FullReductionActivity, enabled: bool) -> None:
    if activity.is_enabled == enabled:
        return
    activity.is_enabled = enabled
    db.session.flush()
    audit.record(actor, area=AREA, action="full_reduction.enable" if enabled else "full_reduction.disable",
                 target_type="full_reduction", target_id=activity.id, summary=activity.name,
                 before={"is_enabled": not enabled}, after={"is_enabled": enabled})


def scope_titles(scope: str, ids: list[int]) -> list[dict]:
    """The chosen products or categories as [{id, title}] for the pickers (a gone one as #id)."""
    if not ids or scope == ActivityScope.ALL:
        return []
    if scope == ActivityScope.CATEGORIES:
        titles = dict(db.session.execute(select(Category.id, Category.name).where(Category.id.in_(ids))).all())
    else:
        titles = dict(db.session.execute(select(Product.id, Product.title).where(Product.id.in_(ids))).all())
    return [{"id": item, "title": titles.get(item, f"#{item}")} for item in ids]


