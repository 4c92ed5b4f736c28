"""Freight, by tables of cases: count and weight rules, regions, free rules, mixed carts."""

from __future__ import annotations

import pytest

from app.audit.services import SYSTEM
from app.core.errors import ValidationError
from app.extensions import db
from app.shipping import services
from app.shipping.freight import FreightLine, charge, quote_freight

GUANGDONG, SHENZHEN, NANSHAN = "440000", "440300", "440305"
XINJIANG, URUMQI = "650000", "650100"
BEIJING_CHAOYANG, SHANGHAI = "110105", "310000"


def _template(method="count", default=(1, 800, 1, 200), region_rules=(), free_rules=(), name="模板"):
    first_amount, first_fee, additional_amount, additional_fee = default
    template = services.create_template(SYSTEM, {
        "name": name, "method": method,
        "default": {"first_amount": first_amount, "first_fee_fen": first_fee,
                    "additional_amount": additional_amount, "additional_fee_fen": additional_fee},
        "region_rules": [{"region_codes": codes, "first_amount": a, "first_fee_fen": b, "additional_amount": c,
                          "additional_fee_fen": d} for codes, (a, b, c, d) in region_rules],
        "free_rules": [{"region_codes": codes, "condition": condition, "threshold": threshold}
                       for codes, condition, threshold in free_rules],
    })
    db.session.commit()
    return template.id


@pytest.mark.parametrize("units, rule, expected", [
    (1, (1, 800, 1, 200), 800),     # just the first piece
    (3, (1, 800, 1, 200), 1200),    # 800 + 2 × 200
    (0, (1, 800, 1, 200), 800),     # weightless still pays the first step
    (5, (2, 1000, 2, 300), 1600),   # 2 included, 3 more = 2 started steps
    (4, (2, 1000, 2, 300), 1300),
    (1001, (1000, 1200, 500, 400), 1600),  # grams: one gram over starts a step
    (2500, (1000, 1200, 500, 400), 2400),
    (9, (1, 500, 0, 999), 500),     # no additional step configured
    (7, (1, 0, 1, 0), 0),           # a template that charges nothing
])
def test_charge_counts_every_started_step(units, rule, expected):
    assert charge(units, *rule) == expected


COUNT_RULES = [([SHENZHEN], (1, 500, 1, 100)), ([GUANGDONG], (1, 600, 1, 150)), ([XINJIANG], (1, 2000, 1, 1000))]


@pytest.mark.parametrize("region, quantity, expected", [
    (BEIJING_CHAOYANG, 1, 800),    # default rule
    (BEIJING_CHAOYANG, 3, 1200),
    (NANSHAN, 3, 700),             # a district falls under its city's rule
    (SHENZHEN, 1, 500),
    ("440100", 2, 750),            # Guangzhou: the province rule
    (GUANGDONG, 2, 750),
    (URUMQI, 2, 3000),             # a province rule reaches its cities
])
def test_region_rules_by_count_city_beats_province(app, region, quantity, expected):
    template_id = _template(region_rules=COUNT_RULES)
    quote = quote_freight([FreightLine(template_id, quantity, 300, 1000)], region)
    assert quote.total_fen == expected


@pytest.mark.parametrize("region, lines, expected", [
    (SHANGHAI, [(2, 400)], 1200),              # 800 g: within the first kilo
    (SHANGHAI, [(3, 400)], 1700),              # 1200 g: one more started kilo
    (SHANGHAI, [(1, 400), (2, 1000)], 2200),   # 2400 g across two lines
    (XINJIANG, [(3, 400)], 4500),              # remote rule: 3000 + 1500
])
def test_weight_templates_add_up_every_lines_weight(app, region, lines, expected):
    template_id = _template("weight", (1000, 1200, 1000, 500), region_rules=[([XINJIANG], (1000, 3000, 1000, 1500))])
    quote = quote_freight([FreightLine(template_id, quantity, weight) for quantity, weight in lines], region)
    assert quote.total_fen == expected


@pytest.mark.parametrize("free_rules, lines, region, expected", [
    ([([], "amount", 9900)], [(1, 0, 9900)], SHANGHAI, 0),          # free from ¥99, exactly
    ([([], "amount", 9900)], [(1, 0, 9899)], SHANGHAI, 800),        # one fen short
    ([([], "count", 3)], [(2, 0, 100), (1, 0, 100)], SHANGHAI, 0),  # three pieces over two lines
    ([([], "weight", 2000)], [(4, 500, 100)], SHANGHAI, 0),         # 2 kg
    ([([SHANGHAI], "amount", 5000)], [(1, 0, 6000)], SHANGHAI, 0),  # only for Shanghai ...
    ([([SHANGHAI], "amount", 5000)], [(1, 0, 6000)], XINJIANG, 800),  # ... not elsewhere
    ([([SHENZHEN], "count", 1)], [(1, 0, 100)], NANSHAN, 0),        # a city's free rule reaches its districts
])
def test_free_shipping_rules(app, free_rules, lines, region, expected):
    template_id = _template(free_rules=free_rules)
    quote = quote_freight([FreightLine(template_id, q, w, a) for q, w, a in lines], region)
    assert quote.total_fen == expected


def test_a_cart_mixing_templates_pays_each_templates_fee_on_its_own_lines(app):
    parcels = _template(name="按件", free_rules=[([], "amount", 9900)])
    fresh = _template("weight", (1000, 1200, 1000, 500), name="冷链")
    lines = [FreightLine(parcels, 1, 200, 5000), FreightLine(parcels, 1, 200, 3000),
             FreightLine(fresh, 2, 800, 6000), FreightLine(None, 5, 1000, 1000)]
    quote = quote_freight(lines, SHANGHAI)
    # parcels: 2 pieces, ¥80 < ¥99 -> 800 + 200; fresh: 1600 g -> 1200 + 500; no template: free.
    assert quote.per_template == {parcels: 1000, fresh: 1700}
    assert quote.total_fen == 2700
    # The ¥60 of fresh food does not count towards the parcels' free-shipping threshold.
    assert quote_freight([*lines, FreightLine(parcels, 1, 0, 1900)], SHANGHAI).per_template[parcels] == 0


@pytest.mark.parametrize("lines, expected", [([], 0), ([FreightLine(None, 3, 500, 100)], 0)])
def test_products_without_a_template_ship_free(app, lines, expected):
    assert quote_freight(lines, SHANGHAI).total_fen == expected


@pytest.mark.parametrize("region", ["810000", "710000", "999999", "4403", "", "44030a"])
def test_regions_outside_the_mainland_list_are_refused(app, region):
    template_id = _template()
    with pytest.raises(ValidationError) as refused:
        quote_freight([FreightLine(template_id, 1)], region)
    assert refused.value.code == "region_not_served"
