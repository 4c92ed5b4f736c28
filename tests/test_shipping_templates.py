"""Shipping templates: validation, audit, deletion and the region data."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.audit.models import AuditEntry
from app.audit.services import SYSTEM
from app.core.errors import Conflict, ValidationError
from app.extensions import db
from app.shipping import regions, services
from app.shipping.models import ShippingRegionRule, ShippingTemplate
from tests import factories


def _values(**changes) -> dict:
    values = {"name": "全国快递", "method": "count",
              "default": {"first_amount": 1, "first_fee_fen": 800, "additional_amount": 1, "additional_fee_fen": 200},
              "region_rules": [{"region_codes": ["650000"], "first_amount": 1, "first_fee_fen": 2000,
                                "additional_amount": 1, "additional_fee_fen": 1000}],
              "free_rules": [{"region_codes": [], "condition": "amount", "threshold": 9900}]}
    values.update(changes)
    return values


def test_the_region_list_is_mainland_provinces_and_their_cities():
    names = {p["name"] for p in regions.provinces()}
    assert len(regions.provinces()) == 31 and "广东省" in names
    assert not names & {"香港特别行政区", "澳门特别行政区", "台湾省"}
    assert sum(len(p["cities"]) for p in regions.provinces()) > 300
    assert regions.name_of("440300") == "深圳市" and regions.name_of("110100") == "北京市"
    assert regions.resolve("440305") == ("440000", "440300")


def test_creating_and_changing_a_template_is_audited(app):
    template = services.create_template(SYSTEM, _values())
    db.session.commit()
    services.update_template(SYSTEM, template, _values(name="全国快递（新）", region_rules=[]))
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(ShippingRegionRule)) == 0
    actions = [e.action for e in db.session.query(AuditEntry).order_by(AuditEntry.id)]
    assert actions == ["shipping_template.create", "shipping_template.update"]
    assert db.session.query(AuditEntry).filter_by(action="shipping_template.update").one().after["name"] == \
        "全国快递（新）"


@pytest.mark.parametrize("changes, field", [
    ({"name": ""}, "name"),
    ({"method": "volume"}, "method"),
    ({"default": {"first_amount": 0, "first_fee_fen": 1, "additional_amount": 1, "additional_fee_fen": 1}},
     "first_amount"),
    ({"default": {"first_amount": 1, "first_fee_fen": -5, "additional_amount": 1, "additional_fee_fen": 1}},
     "first_fee_fen"),
    ({"region_rules": [{"region_codes": ["810000"], "first_amount": 1, "first_fee_fen": 1, "additional_amount": 1,
                        "additional_fee_fen": 1}]}, "region_rules.0.region_codes"),
    ({"region_rules": [{"region_codes": [], "first_amount": 1, "first_fee_fen": 1, "additional_amount": 1,
                        "additional_fee_fen": 1}]}, "region_rules.0.region_codes"),
    ({"region_rules": [{"region_codes": ["650000"], "first_amount": 1, "first_fee_fen": 1, "additional_amount": 1,
                        "additional_fee_fen": 1}] * 2}, "region_rules.1.region_codes"),
    ({"free_rules": [{"region_codes": [], "condition": "mood", "threshold": 1}]}, "free_rules.0.condition"),
    ({"free_rules": [{"region_codes": [], "condition": "amount", "threshold": 0}]}, "free_rules.0.threshold"),
])
def test_bad_templates_are_refused_field_by_field_and_nothing_is_written(app, changes, field):
    with pytest.raises(ValidationError) as refused:
        services.create_template(SYSTEM, _values(**changes))
    assert field in refused.value.fields
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(ShippingTemplate)) == 0


def test_a_template_in_use_cannot_be_deleted(app):
    template = services.create_template(SYSTEM, _values())
    db.session.commit()
    factories.product(factories.category(), shipping_template_id=template.id)
    with pytest.raises(Conflict):
        services.delete_template(SYSTEM, template)
    db.session.rollback()
    unused = services.create_template(SYSTEM, _values(name="备用"))
    services.delete_template(SYSTEM, unused)
    db.session.commit()
    assert [t.name for t in services.templates()] == ["全国快递"]
