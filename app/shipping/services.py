"""Creating, changing and deleting shipping templates, each audited."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from app.audit import services as audit
from app.audit.services import Actor
from app.core.errors import Conflict, NotFound, ValidationError
from app.extensions import db
from app.shipping import regions
from app.shipping.models import (
    FREE_CONDITIONS,
    METHODS,
    ShippingFreeRule,
    ShippingRegionRule,
    ShippingTemplate,
)

RULE_FIELDS = ("first_amount", "first_fee_fen", "additional_amount", "additional_fee_fen")
MAX_RULES = 50
MAX_AMOUNT = 10_000_000
MAX_FEE_FEN = 1_000_000


def templates() -> list[ShippingTemplate]:
    return list(db.session.scalars(select(ShippingTemplate).order_by(ShippingTemplate.id)
                                   .options(selectinload(ShippingTemplate.region_rules),
                                            selectinload(ShippingTemplate.free_rules))))


def get_template(template_id: int) -> ShippingTemplate:
    template = db.session.get(ShippingTemplate, template_id)
    if template is None:
        raise NotFound(_("This shipping template does not exist."), code="shipping_template_not_found")
    return template


def _int(value: Any, low: int, high: int) -> int | None:
    if isinstance(value, bool):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


def _check_rule(prefix: str, rule: dict[str, Any], fields: dict[str, str]) -> dict[str, int]:
    clean = {}
    for name in RULE_FIELDS:
        low = 1 if name == "first_amount" else 0
        high = MAX_FEE_FEN if name.endswith("_fen") else MAX_AMOUNT
        value = _int(rule.get(name), low, high)
        if value is None:
            fields[f"{prefix}{name}"] = _("Between %(low)s and %(high)s.", low=low, high=high)
        clean[name] = value or 0
    return clean


def _check_codes(key: str, codes: Any, fields: dict[str, str], *, required: bool) -> list[str]:
    codes = list(dict.fromkeys(codes or []))
    if required and not codes:
        fields[key] = _("Choose at least one region.")
    if any(not isinstance(code, str) or regions.get(code) is None for code in codes):
        fields[key] = _("Not one of the allowed values.")
    return codes


def validate(values: dict[str, Any]) -> dict[str, Any]:
    """The template as it will be stored, or a ValidationError naming each bad field."""
    fields: dict[str, str] = {}
    name = (values.get("name") or "").strip()
    if not name or len(name) > 32:
        fields["name"] = _("Between %(low)s and %(high)s characters.", low=1, high=32)
    if values.get("method") not in METHODS:
        fields["method"] = _("Not one of the allowed values.")
    default = _check_rule("", values.get("default") or {}, fields)
    region_rules, seen = [], set()
    for index, rule in enumerate((values.get("region_rules") or [])[:MAX_RULES]):
        codes = _check_codes(f"region_rules.{index}.region_codes", rule.get("region_codes"), fields, required=True)
        if seen & set(codes):
            fields[f"region_rules.{index}.region_codes"] = _("A region can be in only one rule.")
        seen.update(codes)
        region_rules.append({"region_codes": codes, **_check_rule(f"region_rules.{index}.", rule, fields)})
    free_rules = []
    for index, rule in enumerate((values.get("free_rules") or [])[:MAX_RULES]):
        codes = _check_codes(f"free_rules.{index}.region_codes", rule.get("region_codes"), fields, required=False)
        if rule.get("condition") not in FREE_CONDITIONS:
            fields[f"free_rules.{index}.condition"] = _("Not one of the allowed values.")
        threshold = _int(rule.get("threshold"), 1, MAX_AMOUNT * 10)
        if threshold is None:
            fields[f"free_rules.{index}.threshold"] = _("Between %(low)s and %(high)s.", low=1, high=MAX_AMOUNT * 10)
        free_rules.append({"region_codes": codes, "condition": rule.get("condition"), "threshold": threshold or 1})
    if fields:
        raise ValidationError(_("Some fields are invalid."), fields=fields)
    return {"name": name, "method": values["method"], "default": default, "region_rules": region_rules,
            "free_rules": free_rules}


def snapshot(template: ShippingTemplate) -> dict[str, Any]:
    return {
        "name": template.name, "method": template.method,
        "default": {name: getattr(template, name) for name in RULE_FIELDS},
        "region_rules": [{"region_codes": list(rule.region_codes), **{n: getattr(rule, n) for n in RULE_FIELDS}}
                         for rule in template.region_rules],
        "free_rules": [{"region_codes": list(rule.region_codes), "condition": rule.condition,
                        "threshold": rule.threshold} for rule in template.free_rules],
    }


def _apply(template: ShippingTemplate, clean: dict[str, Any]) -> None:
    template.name, template.method = clean["name"], clean["method"]
    for name, value in clean["default"].items():
        setattr(template, name, value)
    template.region_rules = [ShippingRegionRule(**rule) for rule in clean["region_rules"]]
    template.free_rules = [ShippingFreeRule(**rule) for rule in clean["free_rules"]]


def create_template(actor: Actor, values: dict[str, Any]) -> ShippingTemplate:
    clean = validate(values)
    template = ShippingTemplate()
    _apply(template, clean)
    db.session.add(template)
    db.session.flush()
    audit.record(actor, area="products", action="shipping_template.create", target_type="shipping_template",
                 target_id=template.id, summary=template.name, after=snapshot(template))
    return template


def update_template(actor: Actor, template: ShippingTemplate, values: dict[str, Any]) -> ShippingTemplate:
    clean = validate(values)
    before = snapshot(template)
    _apply(template, clean)
    db.session.flush()
    changed_before, changed_after = audit.changed_fields(before, snapshot(template))
    audit.record(actor, area="products", action="shipping_template.update", target_type="shipping_template",
                 target_id=template.id, summary=template.name, before=changed_before, after=changed_after)
    return template


def products_using(template_id: int) -> int:
    from app.catalog.models import Product

    return db.session.scalar(select(func.count()).select_from(Product)
                             .where(Product.shipping_template_id == template_id, Product.deleted_at.is_(None))) or 0


def delete_template(actor: Actor, template: ShippingTemplate) -> None:
    """Refused while a product uses it: those products would silently start shipping free."""
    used = products_using(template.id)
    if used:
        raise Conflict(_("%(n)s products use this template; move them to another one first.", n=used),
                       code="shipping_template_in_use")
    from app.catalog.models import Product

    db.session.execute(update(Product).where(Product.shipping_template_id == template.id)
                       .values(shipping_template_id=None).execution_options(synchronize_session=False))
    audit.record(actor, area="products", action="shipping_template.delete", target_type="shipping_template",
                 target_id=template.id, summary=template.name, before=snapshot(template))
    db.session.delete(template)
    db.session.flush()
