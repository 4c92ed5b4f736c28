"""Accrual on payment: one commission line per order item per level, with the chain of
ancestors and the rules in force at that moment, and a pending entry for each line that pays.

Positions: level 1 is the buyer's referrer, level 2 theirs, level 3 theirs — or, with
self-purchase rebate on and the buyer an active agent, level 1 is the buyer. With it off, an
agent's own purchase gets a level-0 line saying so. A position that pays nothing (not an
agent, agent disabled, binding expired, beyond the configured levels, product excluded,
no referrer, distribution off, or an amount that rounds to 0) records why, and is NOT
passed up: level 2 stays level 2.

Amounts: base = the item's paid amount (its share of discounts deducted, freight excluded)
or its profit (paid − unit cost × quantity, at least 0); rate rules pay base × rate rounded
down to the fen; fixed rules pay fen per unit × quantity. Rule priority: product > agent
level > global.

Safe to run twice or twenty times at once: the order row is locked first, existing lines
end the job, and (order_item_id, level) is unique.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.core.money import share_of
from app.distribution import ledger, refunds
from app.distribution.agent_models import Agent, ReferralBinding
from app.distribution.binding import is_expired
from app.distribution.commission_models import CommissionLine
from app.distribution.locks import locked_order
from app.distribution.settings import current
from app.distribution.settings_models import MAX_LEVELS, AgentLevel, DistributionSettings, ProductCommissionRule
from app.distribution.settlement import freeze
from app.distribution.states import AgentStatus, LineStatus
from app.extensions import db
from app.orders.models import Order, OrderItem

PAID_STATUSES = ("paid", "shipped", "completed")


@dataclass
class Position:
    level: int
    user_id: int | None
    reason: str = ""


def chain(order: Order, settings: DistributionSettings, buyer: Agent | None) -> list[Position]:
    """Who stands at each level for this order, or why nobody is paid there."""
    positions: list[Position] = []
    buyer_is_agent = buyer is not None and buyer.status == AgentStatus.ACTIVE
    node = order.user_id
    broken = ""
    for level in range(1, MAX_LEVELS + 1):
        if level == 1 and buyer_is_agent and settings.self_purchase:
            positions.append(Position(1, order.user_id))
            continue
        if broken:
            positions.append(Position(level, None, broken))
            continue
        binding = db.session.get(ReferralBinding, node)
        if binding is None:
            broken = "no_referrer"
            positions.append(Position(level, None, broken))
        elif is_expired(binding, order.paid_at):
            broken = "binding_expired"
            positions.append(Position(level, binding.referrer_user_id, broken))
        else:
            node = binding.referrer_user_id
            positions.append(Position(level, node))
    if buyer_is_agent and not settings.self_purchase:
        positions.insert(0, Position(0, order.user_id, "self_purchase_off"))
    return positions


def _agents(user_ids: set[int]) -> dict[int, Agent]:
    return {agent.user_id: agent for agent in db.session.scalars(select(Agent).where(Agent.user_id.in_(user_ids)))}


def _judge(position: Position, settings: DistributionSettings, agents: dict[int, Agent]) -> str:
    """The reason a position pays nothing, whatever the product ('' when it may pay)."""
    if not settings.enabled:
        return "distribution_off"
    if position.reason:
        return position.reason
    if position.level > settings.levels:
        return "beyond_levels"
    agent = agents.get(position.user_id)
    if agent is None or agent.status == AgentStatus.REMOVED:
        return "not_an_agent"
    if agent.status == AgentStatus.DISABLED:
        return "agent_disabled"
    return ""


def base_of(item: OrderItem, settings: DistributionSettings) -> int:
    if settings.base == "profit":
        return max(0, item.paid_fen - item.unit_cost_fen * item.quantity)
    return item.paid_fen


def price(item: OrderItem, level: int, base: int, settings: DistributionSettings, agent: Agent,
          rule: ProductCommissionRule | None, levels: dict[int, AgentLevel]) -> dict:
    """The rule, rate or fixed amount, and amount for one paying position (or its reason)."""
    if rule is not None and rule.mode == "excluded":
        return {"rule": f"product:{rule.product_id}", "reason": "product_excluded"}
    if rule is not None and rule.mode == "fixed" and str(item.sku_id) in rule.fixed_fen:
        fixed = int(rule.fixed_fen[str(item.sku_id)][level - 1])
        return {"rule": f"product_fixed:{rule.product_id}", "fixed_fen": fixed, "amount_fen": fixed * item.quantity}
    if rule is not None and rule.mode == "rates":
        rate, name = int(rule.rates_bp[level - 1]), f"product:{rule.product_id}"
    elif agent.level_id in levels and levels[agent.level_id].rate(level) is not None:
        rate, name = levels[agent.level_id].rate(level), f"agent_level:{agent.level_id}"
    else:
        rate, name = settings.rates()[level - 1], "global"
    return {"rule": name, "rate_bp": rate, "amount_fen": share_of(base, rate)}


def accrue(order_id: int) -> int:
    """Write the order's commission lines and pending entries; returns how many lines pay."""
    order = locked_order(order_id)
    if order is None or order.paid_at is None or order.status not in PAID_STATUSES:
        return 0
    exists = db.session.scalar(select(CommissionLine.id).where(CommissionLine.order_id == order.id)
                               .limit(1).with_for_update())
    if exists is not None:
        return 0
    settings = current()
    items = list(db.session.scalars(select(OrderItem).where(OrderItem.order_id == order.id)
                                    .order_by(OrderItem.id)))
    buyer = db.session.scalar(select(Agent).where(Agent.user_id == order.user_id))
    positions = chain(order, settings, buyer)
    agents = _agents({position.user_id for position in positions if position.user_id is not None})
    rules = {rule.product_id: rule for rule in db.session.scalars(select(ProductCommissionRule).where(
        ProductCommissionRule.product_id.in_({item.product_id for item in items})))}
    level_ids = {agent.level_id for agent in agents.values() if agent.level_id}
    levels = {level.id: level for level in db.session.scalars(
        select(AgentLevel).where(AgentLevel.id.in_(level_ids)))} if level_ids else {}
    lines: list[CommissionLine] = []
    for item in items:
        base = base_of(item, settings)
        for position in positions:
            values = {"base_fen": base, "reason": _judge(position, settings, agents)}
            if not values["reason"]:
                values.update(price(item, position.level, base, settings, agents[position.user_id],
                                    rules.get(item.product_id), levels))
            if not values.get("reason") and not values.get("amount_fen"):
                values["reason"] = "zero_amount"
            paying = not values.get("reason")
            lines.append(CommissionLine(order_id=order.id, order_item_id=item.id, level=position.level,
                                        beneficiary_user_id=position.user_id,
                                        status=LineStatus.PENDING if paying else LineStatus.NONE,
                                        **{"amount_fen": 0, **values}))
    db.session.add_all(lines)
    db.session.flush()
    paying_lines = [line for line in lines if line.status == LineStatus.PENDING]
    for line in paying_lines:
        ledger.post(line.beneficiary_user_id, "accrue", line_id=line.id, ref=order.id, fresh=True,
                    pending=line.amount_fen)
    for item in items:
        refunds.apply_recorded(item)  # refunds that arrived before this job did
    if order.status == "completed":
        freeze(order)  # completed before this job ran
    return len(paying_lines)
