"""Demo shipping templates: parcels by count nationwide, fresh food by weight."""

from __future__ import annotations

from sqlalchemy import select

from app.extensions import db
from app.shipping.models import ShippingFreeRule, ShippingRegionRule, ShippingTemplate

REMOTE = ["540000", "630000", "650000"]  # 西藏、青海、新疆
NEAR = ["310000", "320000", "330000"]  # 上海、江苏、浙江


def seed_shipping_templates() -> dict[str, int]:
    """{"count": id, "weight": id}, creating the two demo templates when missing."""
    found = {}
    for key, make in (("count", _by_count), ("weight", _by_weight)):
        template = make()
        existing = db.session.scalar(select(ShippingTemplate).where(ShippingTemplate.name == template.name))
        if existing is None:
            db.session.add(template)
            db.session.flush()
            existing = template
        found[key] = existing.id
    return found


def _by_count() -> ShippingTemplate:
    return ShippingTemplate(
        name="普通快递（按件）", method="count", first_amount=1, first_fee_fen=800, additional_amount=1,
        additional_fee_fen=200,
        region_rules=[ShippingRegionRule(region_codes=NEAR, first_amount=1, first_fee_fen=500,
                                         additional_amount=1, additional_fee_fen=100),
                      ShippingRegionRule(region_codes=REMOTE, first_amount=1, first_fee_fen=2000,
                                         additional_amount=1, additional_fee_fen=1000)],
        free_rules=[ShippingFreeRule(region_codes=[], condition="amount", threshold=9900)])


def _by_weight() -> ShippingTemplate:
    return ShippingTemplate(
        name="生鲜冷链（按重量）", method="weight", first_amount=1000, first_fee_fen=1200, additional_amount=1000,
        additional_fee_fen=500,
        region_rules=[ShippingRegionRule(region_codes=REMOTE, first_amount=1000, first_fee_fen=3000,
                                         additional_amount=1000, additional_fee_fen=1500)],
        free_rules=[ShippingFreeRule(region_codes=NEAR, condition="amount", threshold=19900)])
