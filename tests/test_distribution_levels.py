"""Agent levels: saved with validation and audit; agents move up when their numbers meet a
better level's conditions (all or any), never down by themselves; the new rate applies to
the next order."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.audit.services import SYSTEM
from app.core.errors import ValidationError
from app.distribution import agents, levels, withdrawals
from app.extensions import db
from tests import factories
from tests.distribution_helpers import (
    bind,
    by_level,
    complete,
    configure,
    paid_order,
    referral_chain,
    refund,
    release,
    sku,
)


def _level(name, rank, rate1=None, **rules):
    level = levels.save_level(SYSTEM, None, name=name, rank=rank, rates=[rate1, None, None], upgrade_rules=rules)
    db.session.commit()
    return level


def test_bad_levels_are_refused(app):
    with pytest.raises(ValidationError) as refused:
        levels.save_level(SYSTEM, None, name="", rank=1, rates=[20_000, None, None],
                          upgrade_rules={"match": "some", "conditions": []})
    assert set(refused.value.fields) == {"name", "rates", "upgrade_rules"}


def test_an_agent_moves_up_when_all_conditions_are_met(app):
    configure(levels=1, rate1_bp=1000)
    gold = _level("gold", 2, 2000, match="all", conditions=[{"kind": "direct_invites", "min": 2},
                                                            {"kind": "team_sales_fen", "min": 10_000}])
    (c,) = referral_chain("C")
    first, second = factories.shopper(), factories.shopper()
    bind(first, c)
    paid_order(first, [(sku(10_000), 1)])  # sales 10,000 but one invite: not yet
    assert agents.agent_of(c.id).level_id is None
    bind(second, c)
    order = paid_order(second, [(sku(10_000), 1)])  # this order still pays the old rate
    assert by_level(order)[1][1] == 1000
    assert agents.agent_of(c.id).level_id == gold.id
    assert by_level(paid_order(second, [(sku(10_000), 1)]))[1][1] == 2000


def test_any_condition_is_enough_when_the_level_says_any(app):
    silver = _level("silver", 1, match="any", conditions=[{"kind": "direct_invites", "min": 99},
                                                          {"kind": "own_spend_fen", "min": 100}])
    (buyer,) = referral_chain("B")
    paid_order(buyer, [(sku(500), 1)])  # own spend 500 ≥ 100
    assert agents.agent_of(buyer.id).level_id == silver.id


def test_levels_never_go_down_by_themselves(app):
    low = _level("low", 1, match="all", conditions=[{"kind": "team_size", "min": 0}])
    high = _level("high", 5)  # no conditions: set by hand only
    (c,) = referral_chain("C")
    agents.set_level(SYSTEM, c.id, high.id)
    assert levels.consider_upgrade(c.id) is None
    assert agents.agent_of(c.id).level_id == high.id
    assert low.rank < high.rank


def test_the_upgrade_command_upgrades_everyone_who_qualifies(app, runner):
    _level("starter", 1, match="all", conditions=[{"kind": "team_size", "min": 0}])
    referral_chain("A", "B")
    result = runner.invoke(args=["distribution", "upgrade"])
    assert "upgraded 2 agent(s)" in result.output


def test_product_rules_are_validated_saved_and_removed(app):
    from app.distribution import product_rules

    row = sku()
    with pytest.raises(ValidationError):
        product_rules.save(SYSTEM, row.product_id, mode="rates", rates_bp=[20_000, 0, 0])
    with pytest.raises(ValidationError):
        product_rules.save(SYSTEM, row.product_id, mode="fixed", fixed_fen={"999999": [1, 2, 3]})
    product_rules.save(SYSTEM, row.product_id, mode="fixed", fixed_fen={row.id: [300, 100, 0]})
    db.session.commit()
    assert product_rules.rule_of(row.product_id).fixed_fen == {str(row.id): [300, 100, 0]}
    product_rules.save(SYSTEM, row.product_id, mode="excluded")
    product_rules.remove(SYSTEM, row.product_id)
    db.session.commit()
    assert product_rules.rule_of(row.product_id) is None


def test_commission_earned_counts_what_refunds_left_and_what_was_withdrawn(app):
    configure(levels=1, rate1_bp=1000, withdraw_methods=["balance"])
    gold = _level("gold", 2, match="all", conditions=[{"kind": "commission_fen", "min": 2_500}])
    (c,) = referral_chain("C")
    buyer = factories.shopper()
    bind(buyer, c)
    first = paid_order(buyer, [(sku(10_000), 2)])  # 2,000 earned
    refund(first.items[0], 10_000, 1, after_sale_id=1)  # 1,000 of it taken back
    complete(first)
    release(first.completed_at + timedelta(days=8))
    withdrawals.approve(SYSTEM, withdrawals.apply(c.id, amount_fen=1_000, method="balance",
                                                  idempotency_key="levels-1").id)
    db.session.commit()
    assert levels.numbers(c.id)["commission_fen"] == 1_000  # withdrawn is still earned
    paid_order(buyer, [(sku(10_000), 1)])  # 2,000: not yet (3,000 without the refund)
    assert agents.agent_of(c.id).level_id is None
    paid_order(buyer, [(sku(10_000), 1)])  # 3,000 (2,000 without what was withdrawn)
    assert agents.agent_of(c.id).level_id == gold.id
