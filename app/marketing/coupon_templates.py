"""The merchant's coupon templates: saving one (checked, audited), listing them, ordering the
coupon centre, sending one to chosen members, and reading who holds a template's coupons and
which orders used them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, func, select

from app.accounts.models import User
from app.audit import services as audit
from app.audit.services import Actor
from app.core.errors import Conflict, DomainError, ValidationError
from app.extensions import db
from app.marketing.coupon_centre import centre_templates
from app.marketing.coupon_grants import grant, staff_actor
from app.marketing.coupon_models import (
    Coupon,
    CouponKind,
    CouponScope,
    CouponSource,
    CouponTemplate,
    CouponValidity,
)
from app.members.models import Wallet

EDITABLE = ("name", "kind", "threshold_fen", "amount_fen", "rate_bp", "cap_fen", "scope", "product_ids",
            "category_ids", "validity", "valid_from", "valid_until", "valid_days", "total", "per_user_limit",
            "per_user_daily_limit", "stacks_with_full_reduction", "enabled", "points_price", "in_centre")
# the centre's order is not typed on the form: it is dragged on the centre's own page
FIELDS = (*EDITABLE, "centre_sort")
MAX_SEND = 1000  # members per send: a level's members beyond this are sent in further rounds
SORT_STEP = 10  # the centre's order is written 10, 20, 30…


def template_dict(template: CouponTemplate) -> dict[str, Any]:
    return {name: (value.isoformat() if isinstance(value := getattr(template, name), datetime) else value)
            for name in FIELDS}


def check(values: dict[str, Any]) -> dict[str, str]:
    """Field errors of a template's values (they are already typed by the form)."""
    errors: dict[str, str] = {}
    kind = values["kind"]
    if kind not in set(CouponKind):
        errors["kind"] = _("Choose a kind.")
    if kind in (CouponKind.AMOUNT_OFF, CouponKind.NO_THRESHOLD) and values["amount_fen"] <= 0:
        errors["amount_fen"] = _("Enter an amount above zero.")
    if kind == CouponKind.AMOUNT_OFF and values["threshold_fen"] < values["amount_fen"]:
        errors["threshold_fen"] = _("The threshold must be at least the amount off.")
    if kind == CouponKind.RATE_OFF and not 1 <= values["rate_bp"] <= 9_990:
        errors["rate_bp"] = _("Enter a rate between 0.01 and 9.99.")
    if values["scope"] not in set(CouponScope):
        errors["scope"] = _("Choose where it applies.")
    elif values["scope"] in (CouponScope.PRODUCTS, CouponScope.EXCEPT_PRODUCTS) and not values["product_ids"]:
        errors["product_ids"] = _("Choose at least one product.")
    elif values["scope"] == CouponScope.CATEGORIES and not values["category_ids"]:
        errors["category_ids"] = _("Choose at least one category.")
    if values["validity"] == CouponValidity.FIXED:
        if not values["valid_from"] or not values["valid_until"] or values["valid_until"] <= values["valid_from"]:
            errors["valid_until"] = _("Choose a start and a later end.")
    elif values["validity"] == CouponValidity.DAYS:
        if not 1 <= values["valid_days"] <= 3650:
            errors["valid_days"] = _("Enter between 1 and 3650 days.")
    else:
        errors["validity"] = _("Choose how long it lasts.")
    for name in ("total", "per_user_limit", "per_user_daily_limit"):
        if values[name] is not None and values[name] < 1:
            errors[name] = _("Enter at least 1, or leave empty for no limit.")
    if values["points_price"] < 0:
        errors["points_price"] = _("Enter 0 or more.")
    return errors


def save_template(actor: Actor, template: CouponTemplate | None, values: dict[str, Any]) -> CouponTemplate:
    errors = check(values)
    if template is not None and values["total"] is not None and values["total"] < template.issued:
        errors["total"] = _("%(n)s have been given already.", n=template.issued)
    if errors:
        raise ValidationError(_("Some fields are invalid."), fields=errors)
    before = template_dict(template) if template is not None else None
    joins_centre = values["in_centre"] and (template is None or not template.in_centre)
    if template is None:
        template = CouponTemplate(issued=0, used=0, expired=0, revoked=0, centre_sort=0)
        db.session.add(template)
    for name in EDITABLE:
        setattr(template, name, values[name])
    if joins_centre:
        template.centre_sort = _after_the_centre()
    db.session.flush()
    audit.record(actor, area="marketing", action="coupon_template.save", target_type="coupon_template",
                 target_id=template.id, summary=template.name, before=before, after=template_dict(template))
    return template


def _after_the_centre() -> int:
    """A coupon newly shown in the centre goes last, where the merchant can drag it from."""
    last = db.session.scalar(select(func.max(CouponTemplate.centre_sort)).where(CouponTemplate.in_centre.is_(True)))
    return (last or 0) + SORT_STEP


def order_centre(actor: Actor, template_ids: list[int]) -> list[CouponTemplate]:
    """Show the centre's coupons in the order given (the merchant's drag): centre_sort 10, 20,
    30… The ids must be exactly the coupons the centre shows now, each once: a page opened
    before a coupon joined or left the centre is refused whole, never applied in part."""
    shown = centre_templates()
    by_id = {template.id: template for template in shown}
    if not shown:
        raise ValidationError(_("The coupon centre shows no coupon yet."), code="coupon_centre_empty")
    if len(template_ids) != len(set(template_ids)) or set(template_ids) != set(by_id):
        raise Conflict(_("The coupon centre has changed since this page was opened: here is its current order."),
                       code="coupon_centre_changed")
    before = {"order": [template.id for template in shown]}
    for position, template_id in enumerate(template_ids, start=1):
        by_id[template_id].centre_sort = position * SORT_STEP
    db.session.flush()
    ordered = [by_id[template_id] for template_id in template_ids]
    audit.record(actor, area="marketing", action="coupon_centre.order", target_type="coupon_centre",
                 target_id="centre", summary=" · ".join(template.name for template in ordered),
                 before=before, after={"order": template_ids})
    return ordered


def search_templates(kind: str = "", status: str = "") -> Select:
    statement = select(CouponTemplate)
    if kind:
        statement = statement.where(CouponTemplate.kind == kind)
    if status == "enabled":
        statement = statement.where(CouponTemplate.enabled.is_(True))
    elif status == "disabled":
        statement = statement.where(CouponTemplate.enabled.is_(False))
    return statement.order_by(CouponTemplate.id.desc())


def template_coupons(template_id: int, status: str = "") -> Select:
    statement = select(Coupon).where(Coupon.template_id == template_id)
    if status:
        statement = statement.where(Coupon.status == status)
    return statement.order_by(Coupon.id.desc())


def send(actor: Actor, template_id: int, user_ids: list[int], request_key: str) -> tuple[int, dict[int, str]]:
    """Give one coupon to each member (once per `request_key`, so a double submit sends once);
    (how many were given, {user_id: why not} for the rest)."""
    given, refused = 0, {}
    for user_id in list(dict.fromkeys(user_ids))[:MAX_SEND]:
        try:
            grant(user_id, template_id, source=CouponSource.MERCHANT, ref=f"{request_key}:{user_id}"[:64],
                  actor=staff_actor(actor.staff_id))
            given += 1
        except DomainError as refusal:
            refused[user_id] = refusal.message
    audit.record(actor, area="marketing", action="coupon_template.send", target_type="coupon_template",
                 target_id=template_id, summary=_("%(n)s sent", n=given), after={"user_ids": user_ids[:MAX_SEND]})
    return given, refused


def level_members(level_id: int) -> list[int]:
    return list(db.session.scalars(select(Wallet.user_id).join(User, User.id == Wallet.user_id)
                                   .where(Wallet.level_id == level_id).order_by(Wallet.user_id).limit(MAX_SEND)))


def giftable_templates(current_id: int | None = None, limit: int = 200) -> list[CouponTemplate]:
    """The templates a member level (monthly) or a full-reduction tier may give: the enabled
    ones, newest first (a shop has tens, not thousands), plus the one already chosen even if it
    was switched off since."""
    rows = list(db.session.scalars(select(CouponTemplate).where(CouponTemplate.enabled.is_(True))
                                   .order_by(CouponTemplate.id.desc()).limit(limit)))
    if current_id is not None and all(row.id != current_id for row in rows):
        current = db.session.get(CouponTemplate, current_id)
        if current is not None:
            rows.append(current)
    return rows
