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
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import exists, insert, select
from sqlalchemy.orm import aliased

from app.core.models import utcnow
from app.core.money import share_of
from app.distribution import ledger, refunds
from app.distribution.agent_models import Agent, ReferralBinding
from app.distribution.commission_models import CommissionLine
from app.distribution.settings import AccrualSettings, for_accrual
from app.distribution.settings_models import MAX_LEVELS, AgentLevel, ProductCommissionRule
from app.distribution.settlement import freeze_order
from app.distribution.states import AgentStatus, LineStatus
from app.extensions import db
from app.orders.models import Order, OrderItem

PAID_STATUSES = ("paid", "shipped", "completed")


@dataclass
class Position:
    level: int
    user_id: int | None
    reason: str = ""


_LINKS = tuple(aliased(ReferralBinding) for _ in range(MAX_LEVELS))  # built once: aliases are costly


def links(user_id: int) -> list[tuple[int, datetime | None]]:
    """The shopper's referrer, theirs and theirs — (referrer, binding expiry) — in one query."""
    first, second, third = _LINKS
    row = db.session.execute(
        select(first.referrer_user_id, first.expires_at, second.referrer_user_id, second.expires_at,
               third.referrer_user_id, third.expires_at)
        .outerjoin(second, second.user_id == first.referrer_user_id)
        .outerjoin(third, third.user_id == second.referrer_user_id)
        .where(first.user_id == user_id)).first()
    found = []
    for index in range(0, 2 * MAX_LEVELS, 2):
        if row is None or row[index] is None:
            break
        found.append((row[index], row[index + 1]))
    return found


def chain(order: Any, settings: AccrualSettings, buyer_is_agent: bool,
          found: list[tuple[int, datetime | None]]) -> list[Position]:
    """Who stands at each level for this order, or why nobody is paid there."""
    positions: list[Position] = []
    upward = iter(found)
    broken = ""
    for level in range(1, MAX_LEVELS + 1):
        if level == 1 and buyer_is_agent and settings.self_purchase:
            positions.append(Position(1, order.user_id))
            continue
        if broken:
            positions.append(Position(level, None, broken))
            continue
        link = next(upward, None)
        if link is None:
            broken = "no_referrer"
            positions.append(Position(level, None, broken))
        elif link[1] is not None and link[1] <= order.paid_at:
            broken = "binding_expired"
            positions.append(Position(level, link[0], broken))
        else:
            positions.append(Position(level, link[0]))
    if buyer_is_agent and not settings.self_purchase:
        positions.insert(0, Position(0, order.user_id, "self_purchase_off"))
    return positions


def _agents(user_ids: set[int]) -> dict[int, Any]:
    """Status and level of the agents among these shoppers (only the columns accrual reads)."""
    return {row.user_id: row for row in db.session.execute(
        select(Agent.user_id, Agent.status, Agent.level_id).where(Agent.user_id.in_(user_ids)))}


def _judge(position: Position, settings: AccrualSettings, agents: dict[int, Agent]) -> str:
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


ITEM_COLUMNS = (OrderItem.id, OrderItem.product_id, OrderItem.sku_id, OrderItem.quantity, OrderItem.paid_fen,
                OrderItem.unit_cost_fen)


def rows_item(columns: list) -> SimpleNamespace:
    return SimpleNamespace(**{column.key: value for column, value in zip(ITEM_COLUMNS, columns, strict=True)})


def base_of(item: Any, settings: AccrualSettings) -> int:
    if settings.base == "profit":
        return max(0, item.paid_fen - item.unit_cost_fen * item.quantity)
    return item.paid_fen


def price(item: Any, level: int, base: int, settings: AccrualSettings, agent: Any,
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


def _lock_unaccrued(order_id: int) -> Any:
    """The order (the columns accrual reads), locked, if it is paid and has no commission lines
    yet — one statement: a locking read sees what a concurrent copy of this job committed
    while it waited for the lock."""
    accrued = exists().where(CommissionLine.order_id == Order.id).label("accrued")
    order = db.session.execute(select(Order.id, Order.user_id, Order.status, Order.paid_at, accrued)
                               .where(Order.id == order_id).with_for_update()).first()
    if order is None or order.accrued or order.paid_at is None or order.status not in PAID_STATUSES:
        return None
    return order


def accrue(order_id: int) -> int:
    """Write the order's commission lines and pending entries; returns how many lines pay."""
    order = _lock_unaccrued(order_id)
    if order is None:
        return 0
    settings = for_accrual()
    rule_of = ProductCommissionRule.product_id == OrderItem.product_id
    rows = db.session.execute(select(*ITEM_COLUMNS, ProductCommissionRule).outerjoin(ProductCommissionRule, rule_of)
                              .where(OrderItem.order_id == order.id).order_by(OrderItem.id)).all()
    found = links(order.user_id)
    agents = _agents({order.user_id, *(referrer for referrer, _expires in found)})
    buyer = agents.get(order.user_id)
    positions = chain(order, settings, buyer is not None and buyer.status == AgentStatus.ACTIVE, found)
    level_ids = {agent.level_id for agent in agents.values() if agent.level_id}
    levels = {level.id: level for level in db.session.scalars(
        select(AgentLevel).where(AgentLevel.id.in_(level_ids)))} if level_ids else {}
    now = utcnow()
    lines: list[dict] = []
    for *_columns, rule in rows:
        item = rows_item(_columns)
        base = base_of(item, settings)
        for position in positions:
            values = {"base_fen": base, "reason": _judge(position, settings, agents)}
            if not values["reason"]:
                values.update(price(item, position.level, base, settings, agents[position.user_id], rule, levels))
            if not values.get("reason") and not values.get("amount_fen"):
                values["reason"] = "zero_amount"
            paying = not values.get("reason")
            lines.append({"order_id": order.id, "order_item_id": item.id, "level": position.level,
                          "beneficiary_user_id": position.user_id, "rule": "", "rate_bp": None, "fixed_fen": None,
                          "amount_fen": 0, "cancelled_fen": 0, "clawed_back_fen": 0, "frozen_until": None,
                          "status": LineStatus.PENDING if paying else LineStatus.NONE, "created_at": now,
                          "updated_at": now, **values})
    db.session.execute(insert(CommissionLine.__table__), lines)  # one executemany, then the ids in one read
    ids = dict(((item_id, level), line_id) for line_id, item_id, level in db.session.execute(
        select(CommissionLine.id, CommissionLine.order_item_id, CommissionLine.level)
        .where(CommissionLine.order_id == order.id)))
    paying = [(line["beneficiary_user_id"], ids[line["order_item_id"], line["level"]], line["amount_fen"])
              for line in lines if line["status"] == LineStatus.PENDING]
    ledger.post_accruals(paying, order.id)
    item_ids = [row[0] for row in rows]
    if refunds.any_recorded(item_ids):  # refunds that arrived before this job did
        for item in db.session.scalars(select(OrderItem).where(OrderItem.id.in_(item_ids))):
            refunds.apply_recorded(item)
    if order.status == "completed":
        freeze_order(order.id)  # completed before this job ran
    return len(paying)
