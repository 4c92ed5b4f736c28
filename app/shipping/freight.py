"""Freight for a cart whose products may use different shipping templates.

The rule (as Youzan and CRMEB do it): lines are grouped by their product's template; each
template computes its own fee on its own lines — the region rule for the address (a city
rule beats a province rule, else the default rule), waived when one of its free-shipping
rules is met by those lines — and the cart pays the sum. Lines whose product has no
template ship free. All amounts are integer fen.

A rule charges `first_fee` for up to `first_amount` units (pieces, or grams by weight), then
`additional_fee` for each started step of `additional_amount` units beyond that.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.errors import ValidationError
from app.extensions import db
from app.shipping import regions
from app.shipping.models import BY_WEIGHT, ShippingRegionRule, ShippingTemplate


@dataclass(frozen=True)
class FreightLine:
    """One cart line as freight sees it."""

    template_id: int | None
    quantity: int
    unit_weight_g: int = 0
    amount_fen: int = 0  # what the line costs (for "free over an amount")


@dataclass(frozen=True)
class FreightQuote:
    total_fen: int
    per_template: dict[int, int] = field(default_factory=dict)
    free_templates: tuple[int, ...] = ()


def charge(units: int, first_amount: int, first_fee_fen: int, additional_amount: int,
           additional_fee_fen: int) -> int:
    if units <= first_amount or additional_amount <= 0:
        return first_fee_fen
    steps = -(-(units - first_amount) // additional_amount)  # every started step counts
    return first_fee_fen + steps * additional_fee_fen


def _matches(codes: list[str], province: str, city: str) -> bool:
    return city in codes or province in codes


def _rule_for(template: ShippingTemplate, province: str, city: str) -> ShippingTemplate | ShippingRegionRule:
    by_city = [rule for rule in template.region_rules if city != province and city in rule.region_codes]
    by_province = [rule for rule in template.region_rules if province in rule.region_codes]
    return (by_city or by_province or [template])[0]


def template_fee(template: ShippingTemplate, lines: Iterable[FreightLine], province: str, city: str) -> int:
    """This template's fee for its own lines, delivered to (province, city)."""
    lines = list(lines)
    count = sum(line.quantity for line in lines)
    weight = sum(line.quantity * line.unit_weight_g for line in lines)
    amount = sum(line.amount_fen for line in lines)
    measured = {"count": count, "weight": weight, "amount": amount}
    for free in template.free_rules:
        if (not free.region_codes or _matches(free.region_codes, province, city)) \
                and measured[free.condition] >= free.threshold:
            return 0
    rule = _rule_for(template, province, city)
    units = weight if template.method == BY_WEIGHT else count
    return charge(units, rule.first_amount, rule.first_fee_fen, rule.additional_amount, rule.additional_fee_fen)


def quote_freight(lines: Iterable[FreightLine], region_code: str) -> FreightQuote:
    """The freight for `lines` delivered to `region_code` (a province, city or district code)."""
    where = regions.resolve(region_code)
    if where is None:
        raise ValidationError(_("We do not deliver to this region."), code="region_not_served",
                              fields={"region_code": _("We do not deliver to this region.")})
    province, city = where
    grouped: dict[int, list[FreightLine]] = defaultdict(list)
    for line in lines:
        if line.quantity <= 0:
            raise ValueError("a freight line needs a positive quantity")
        if line.template_id is not None:
            grouped[line.template_id].append(line)
    if not grouped:
        return FreightQuote(0)
    templates = db.session.scalars(
        select(ShippingTemplate).where(ShippingTemplate.id.in_(grouped))
        .options(selectinload(ShippingTemplate.region_rules), selectinload(ShippingTemplate.free_rules))).all()
    per_template = {template.id: template_fee(template, grouped[template.id], province, city)
                    for template in sorted(templates, key=lambda t: t.id)}
    return FreightQuote(sum(per_template.values()), per_template,
                        tuple(tid for tid, fee in per_template.items() if fee == 0))
