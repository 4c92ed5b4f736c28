"""Commission on payment, table-driven: who is paid at each level, how much, under which
rule — or why not. The world in every case: agents A ← B ← C, and shopper D bound to C."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from app.audit.services import SYSTEM
from app.core.models import utcnow
from app.distribution import agents
from app.distribution.explain import explain
from app.distribution.settings_models import AgentLevel, ProductCommissionRule
from app.extensions import db
from tests import factories
from tests.distribution_helpers import bind, by_level, configure, days, lines_of, paid_order, problems, referral_chain
from tests.distribution_helpers import sku as make_sku


@pytest.fixture
def world(app):
    configure(levels=2, rate1_bp=1000, rate2_bp=500, rate3_bp=200)
    a, b, c = referral_chain("A", "B", "C")
    d = factories.shopper("D")
    assert bind(d, c).result == "bound"
    return SimpleNamespace(A=a, B=b, C=c, D=d)


def _level(name: str, **rates) -> int:
    row = AgentLevel(name=name, **rates)
    db.session.add(row)
    db.session.commit()
    return row.id


def _rule(product_id: int, mode: str, **fields) -> None:
    db.session.add(ProductCommissionRule(product_id=product_id, mode=mode, **fields))
    db.session.commit()


def _disable_c(w):
    agents.disable(SYSTEM, w.C.id)


def _remove_c(w):
    agents.remove(SYSTEM, w.C.id)


def _gold_c(w):
    agents.set_level(SYSTEM, w.C.id, _level("gold", rate1_bp=2000))


def _silver_c(w):
    agents.set_level(SYSTEM, w.C.id, _level("silver", rate2_bp=900))  # only level 2 overridden


def _gold_b(w):
    agents.set_level(SYSTEM, w.B.id, _level("gold-b", rate2_bp=800))


def _product_rates(w):
    _gold_c(w)
    _rule(w.sku.product_id, "rates", rates_bp=[3000, 1500, 500])


def _product_fixed(w):
    _rule(w.sku.product_id, "fixed", fixed_fen={str(w.sku.id): [300, 100, 50]})


def _product_fixed_other_sku(w):
    _gold_c(w)
    _rule(w.sku.product_id, "fixed", fixed_fen={"999999": [300, 100, 50]})


def _product_excluded(w):
    _rule(w.sku.product_id, "excluded")


def _d_is_agent(w):
    agents.appoint(SYSTEM, w.D.id)


def _unbound_buyer(w):
    w.D = factories.shopper("D2")


def _expired_binding(w):
    configure(bind_mode="expiring", bind_days=30)
    w.D = factories.shopper("D2")
    assert bind(w.D, w.C, now=utcnow() - days(31)).result == "bound"


CASES = {
    # name: (settings, setup, order, expected {level: (who, amount, reason)})
    "two levels by default": ({}, None, {}, {1: ("C", 1000, ""), 2: ("B", 500, ""), 3: ("A", 0, "beyond_levels")}),
    "three levels": ({"levels": 3}, None, {}, {1: ("C", 1000, ""), 2: ("B", 500, ""), 3: ("A", 200, "")}),
    "one level": ({"levels": 1}, None, {}, {1: ("C", 1000, ""), 2: ("B", 0, "beyond_levels"),
                                            3: ("A", 0, "beyond_levels")}),
    "zero levels": ({"levels": 0}, None, {}, {1: ("C", 0, "beyond_levels"), 2: ("B", 0, "beyond_levels"),
                                              3: ("A", 0, "beyond_levels")}),
    "distribution off": ({"enabled": False}, None, {}, {1: ("C", 0, "distribution_off"),
                                                        2: ("B", 0, "distribution_off"),
                                                        3: ("A", 0, "distribution_off")}),
    "a disabled agent's level is not passed up": ({}, _disable_c, {}, {1: ("C", 0, "agent_disabled"),
                                                                       2: ("B", 500, ""),
                                                                       3: ("A", 0, "beyond_levels")}),
    "a removed agent is not an agent": ({}, _remove_c, {}, {1: ("C", 0, "not_an_agent"), 2: ("B", 500, ""),
                                                            3: ("A", 0, "beyond_levels")}),
    "agent level overrides global": ({}, _gold_c, {}, {1: ("C", 2000, ""), 2: ("B", 500, ""),
                                                       3: ("A", 0, "beyond_levels")}),
    "agent level without a rate for the level inherits": ({}, _silver_c, {}, {1: ("C", 1000, ""),
                                                                              2: ("B", 500, ""),
                                                                              3: ("A", 0, "beyond_levels")}),
    "each beneficiary's own level applies": ({}, _gold_b, {}, {1: ("C", 1000, ""), 2: ("B", 800, ""),
                                                               3: ("A", 0, "beyond_levels")}),
    "product rates override the agent level": ({"levels": 3}, _product_rates, {},
                                               {1: ("C", 3000, ""), 2: ("B", 1500, ""), 3: ("A", 500, "")}),
    "fixed amounts are multiplied by quantity": ({}, _product_fixed, {"qty": 3},
                                                 {1: ("C", 900, ""), 2: ("B", 300, ""),
                                                  3: ("A", 0, "beyond_levels")}),
    "a fixed rule without the sku inherits": ({}, _product_fixed_other_sku, {},
                                              {1: ("C", 2000, ""), 2: ("B", 500, ""), 3: ("A", 0, "beyond_levels")}),
    "excluded product": ({}, _product_excluded, {}, {1: ("C", 0, "product_excluded"), 2: ("B", 0, "product_excluded"),
                                                     3: ("A", 0, "beyond_levels")}),
    "self purchase on: the agent buyer is level 1": ({"self_purchase": True}, _d_is_agent, {},
                                                     {1: ("D", 1000, ""), 2: ("C", 500, ""),
                                                      3: ("B", 0, "beyond_levels")}),
    "self purchase off: the agent buyer gets a level 0 saying so": (
        {"self_purchase": False}, _d_is_agent, {},
        {0: ("D", 0, "self_purchase_off"), 1: ("C", 1000, ""), 2: ("B", 500, ""), 3: ("A", 0, "beyond_levels")}),
    "self purchase on, buyer not an agent": ({"self_purchase": True}, None, {},
                                             {1: ("C", 1000, ""), 2: ("B", 500, ""), 3: ("A", 0, "beyond_levels")}),
    "discount share deducted": ({}, None, {"discount_fen": 2000}, {1: ("C", 800, ""), 2: ("B", 400, ""),
                                                                   3: ("A", 0, "beyond_levels")}),
    "freight excluded": ({}, None, {"freight_fen": 1500}, {1: ("C", 1000, ""), 2: ("B", 500, ""),
                                                           3: ("A", 0, "beyond_levels")}),
    "profit base": ({"base": "profit"}, None, {"cost": 6000, "qty": 2},
                    {1: ("C", 800, ""), 2: ("B", 400, ""), 3: ("A", 0, "beyond_levels")}),
    "profit floored at zero": ({"base": "profit"}, None, {"cost": 12_000},
                               {1: ("C", 0, "zero_amount"), 2: ("B", 0, "zero_amount"), 3: ("A", 0, "beyond_levels")}),
    "amounts round down per level": ({"rate1_bp": 1234, "rate2_bp": 567}, None, {"price": 999},
                                     {1: ("C", 123, ""), 2: ("B", 56, ""), 3: ("A", 0, "beyond_levels")}),
    "no referrer": ({}, _unbound_buyer, {}, {1: (None, 0, "no_referrer"), 2: (None, 0, "no_referrer"),
                                        3: (None, 0, "no_referrer")}),
    "expired binding": ({}, _expired_binding, {}, {1: ("C", 0, "binding_expired"), 2: (None, 0, "binding_expired"),
                                                   3: (None, 0, "binding_expired")}),
}


@pytest.mark.parametrize("name", list(CASES))
def test_commission_case(world, name):
    settings, setup, order_spec, expected = CASES[name]
    configure(**settings)
    world.sku = make_sku(order_spec.get("price", 10_000), order_spec.get("cost", 0))
    if setup:
        setup(world)
        db.session.commit()
    order = paid_order(world.D, [(world.sku, order_spec.get("qty", 1))],
                       discount_fen=order_spec.get("discount_fen", 0), freight_fen=order_spec.get("freight_fen", 0))
    names = {getattr(world, key).id: key for key in "ABCD"}
    got = {level: (names.get(who), amount, reason) for level, (who, amount, reason) in by_level(order).items()}
    assert got == expected
    assert problems() == []


def test_several_items_each_under_its_own_rule(world):
    plain, excluded = make_sku(10_000), make_sku(3_000)
    _rule(excluded.product_id, "excluded")
    order = paid_order(world.D, [(plain, 2), (excluded, 1)], discount_fen=2_300)
    first, second = ({(line.level): line.amount_fen for line in lines_of(order) if line.order_item_id == item.id}
                     for item in order.items)
    # the discount is shared 2000 / 300, so the plain item's base is 18,000
    assert first == {1: 1800, 2: 900, 3: 0}
    assert second == {1: 0, 2: 0, 3: 0}
    assert [line.reason for line in lines_of(order) if line.order_item_id == order.items[1].id][:2] == \
        ["product_excluded", "product_excluded"]


def test_explain_answers_why_the_third_level_got_nothing(world):
    order = paid_order(world.D, [(make_sku(), 1)])
    (item,) = explain(order.id)
    by = {line["level"]: line for line in item["lines"]}
    assert (by[1]["beneficiary_user_id"], by[1]["rule"], by[1]["base_fen"], by[1]["rate_bp"], by[1]["amount_fen"],
            by[1]["status"]) == (world.C.id, "global", 10_000, 1000, 1000, "pending")
    assert by[3]["beneficiary_user_id"] == world.A.id and by[3]["reason"] == "beyond_levels"
    assert by[3]["reason_label"]


def test_a_fourth_level_is_refused_with_the_reason(app):
    from app.core.errors import ValidationError
    from app.distribution import settings

    with pytest.raises(ValidationError) as refused:
        settings.save(SYSTEM, levels=4)
    assert "pyramid" in refused.value.fields["levels"] or "传销" in refused.value.fields["levels"]
    db.session.rollback()
    assert settings.current().levels == 2
