"""Becoming an agent (auto, apply and review, product, spend), the merchant's appoint,
disable, re-enable and remove (audited), and the status tables of agents and lines."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select, update

from app.audit.models import AuditEntry
from app.audit.services import Actor
from app.core.errors import Conflict, ValidationError
from app.core.events import subscribers
from app.core.state_machine import IllegalTransition
from app.distribution import agents, jobs, settings
from app.distribution.agent_models import Agent
from app.distribution.commission_models import CommissionLine
from app.distribution.states import AgentStatus, LineStatus, move, move_agent
from app.extensions import db
from app.orders.events import ORDER_COMPLETED, ORDER_ITEM_REFUNDED, ORDER_PAID
from tests import factories
from tests.distribution_helpers import agent, configure, paid_order, sku

STAFF = Actor(None, "127.0.0.1")


def test_the_jobs_subscribe_to_the_order_events(app):
    assert jobs.accrue_commissions in subscribers(ORDER_PAID)
    assert jobs.freeze_commissions in subscribers(ORDER_COMPLETED)
    assert jobs.take_back_commissions in subscribers(ORDER_ITEM_REFUNDED)
    assert jobs.accrue_commissions.job_queue == "money"


def test_buying_a_chosen_product_makes_the_buyer_an_agent(app):
    chosen, other = sku(), sku()
    configure(become_agent="product", become_product_ids=[chosen.product_id])
    shopper, buyer = factories.shopper(), factories.shopper()
    paid_order(shopper, [(other, 1)])
    paid_order(buyer, [(chosen, 1)])
    assert agents.agent_of(shopper.id) is None
    assert agents.agent_of(buyer.id).how == "product" and agents.is_active(buyer.id)


def test_reaching_the_spend_threshold_makes_the_buyer_an_agent(app):
    configure(become_agent="spend", become_spend_fen=15_000)
    buyer = factories.shopper()
    paid_order(buyer, [(sku(10_000), 1)])
    assert agents.agent_of(buyer.id) is None
    paid_order(buyer, [(sku(10_000), 1)])
    assert agents.agent_of(buyer.id).how == "spend"


def test_the_order_that_qualifies_a_buyer_pays_as_before_they_qualified(app):
    configure(become_agent="spend", become_spend_fen=1, self_purchase=True)
    buyer = factories.shopper()
    order = paid_order(buyer, [(sku(), 1)])
    assert agents.is_active(buyer.id)
    assert {line.level: line.reason for line in db.session.scalars(
        select(CommissionLine).where(CommissionLine.order_id == order.id))}[1] == "no_referrer"


def test_automatic_paths_never_revive_an_agent_the_merchant_disabled(app):
    configure(become_agent="spend", become_spend_fen=1)
    buyer = agent()
    agents.disable(STAFF, buyer.id)
    db.session.commit()
    paid_order(buyer, [(sku(), 1)])
    assert agents.agent_of(buyer.id).status == "disabled"


def test_apply_then_approve(app):
    configure(become_agent="apply")
    shopper = factories.shopper()
    application = agents.apply(shopper.id, real_name="王五", phone="13800000000")
    assert agents.apply(shopper.id) is application  # asking twice is one application
    agent_row = agents.approve(STAFF, application.id)
    assert (agent_row.how, agent_row.status, application.status) == ("apply", "active", "approved")
    with pytest.raises(Conflict):
        agents.approve(STAFF, application.id)
    with pytest.raises(Conflict):
        agents.apply(shopper.id)


def test_a_rejection_needs_a_reason_and_makes_no_agent(app):
    configure(become_agent="apply")
    shopper = factories.shopper()
    application = agents.apply(shopper.id)
    with pytest.raises(ValidationError):
        agents.reject(STAFF, application.id, " ")
    agents.reject(STAFF, application.id, "资料不全")
    assert application.status == "rejected" and agents.agent_of(shopper.id) is None


def test_applications_are_closed_when_agents_qualify_by_purchase(app):
    configure(become_agent="spend", become_spend_fen=100)
    with pytest.raises(Conflict):
        agents.apply(factories.shopper().id)


def test_in_auto_mode_applying_simply_makes_an_agent(app):
    configure(become_agent="auto")
    shopper = factories.shopper()
    assert isinstance(agents.apply(shopper.id), Agent) and agents.is_active(shopper.id)


def test_appoint_disable_enable_remove_and_appoint_again_are_audited(app):
    shopper = factories.shopper()
    agents.appoint(STAFF, shopper.id)
    agents.disable(STAFF, shopper.id)
    agents.enable(STAFF, shopper.id)
    agents.remove(STAFF, shopper.id)
    with pytest.raises(Conflict):
        agents.enable(STAFF, shopper.id)
    agents.appoint(STAFF, shopper.id)
    db.session.commit()
    actions = list(db.session.scalars(select(AuditEntry.action).where(AuditEntry.area == "distribution")
                                      .order_by(AuditEntry.id)))
    assert actions == ["agent.appoint", "agent.disable", "agent.enable", "agent.remove", "agent.appoint"]
    assert agents.agent_of(shopper.id).status == "active"


def test_settings_are_validated_and_audited(app):
    with pytest.raises(ValidationError) as refused:
        settings.save(STAFF, rate1_bp=6000, rate2_bp=5000, bind_mode="sometimes", become_agent="product")
    assert set(refused.value.fields) == {"rate1_bp", "bind_mode", "become_product_ids"}
    db.session.rollback()
    settings.save(STAFF, levels=3, rate3_bp=100)
    db.session.commit()
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "settings.save"))
    assert (entry.before, entry.after) == ({"levels": 2, "rate3_bp": 0}, {"levels": 3, "rate3_bp": 100})


def test_no_agent_transition_outside_the_table_is_possible(app):
    shopper = agent()
    row = agents.agent_of(shopper.id)
    allowed = {("active", "disabled"), ("active", "removed"), ("disabled", "active"), ("disabled", "removed"),
               ("removed", "active")}
    for current, wanted in itertools.product(AgentStatus, repeat=2):
        db.session.execute(update(Agent).where(Agent.id == row.id).values(status=current))
        db.session.refresh(row)
        if (current, wanted) in allowed:
            assert move_agent(row, wanted) and row.status == wanted
        else:
            with pytest.raises(IllegalTransition):
                move_agent(row, wanted)
    db.session.rollback()


def test_no_line_transition_outside_the_table_is_possible(app):
    buyer = factories.shopper()
    order = paid_order(buyer, [(sku(), 1)])
    line = db.session.scalar(select(CommissionLine).where(CommissionLine.order_id == order.id).limit(1))
    allowed = {("pending", "frozen"), ("pending", "cancelled"), ("frozen", "available"), ("frozen", "cancelled")}
    for current, wanted in itertools.product(LineStatus, repeat=2):
        db.session.execute(update(CommissionLine).where(CommissionLine.id == line.id).values(status=current))
        db.session.refresh(line)
        if (current, wanted) in allowed:
            assert move(line, wanted) and line.status == wanted
        else:
            with pytest.raises(IllegalTransition):
                move(line, wanted)
    db.session.rollback()
