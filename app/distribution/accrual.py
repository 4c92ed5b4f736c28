"""Accrual on payment: one commission line per order item per level, with the chain of
ancestors and the rules in force at that moment, and a pending entry for each line that pays.

Positions: level 1 is the buyer's referrer, level 2 theirs, level 3 theirs — or, with
self-purchase rebate on and the buyer an active agent, level 1 is the buyer. With it off, an
agent's own purchase gets a level-0 line saying so. A position that pays nothing (not an
agent, agent disabled, binding expired, beyond the configured levels, product excluded,
no referrer, distribution off, an activity order whose activity pays no commission, or an
amount that rounds to 0) records why, and is NOT passed up: level 2 stays level 2.

Amounts: base = the item's paid amount (its share of discounts deducted, freight excluded)
or its profit (paid − unit cost × quantity, at least 0) — with the points rule "count points
deduction as money paid" on, the item's share of the points deduction counts as paid; rate rules pay base × rate rounded
down to the fen; fixed rules pay fen per unit × quantity. Rule priority: product > agent
level > global.

Safe to run twice or twenty times at once: the order row is locked first, then a locking
read says whether lines exist already (then the job ends); (order_item_id, level) is unique
besides. Every paid order runs this, so it reads in five prebuilt statements (order, its
lines, settings, items with their product rules, the chain with its agents) and writes in
three (lines, their entries copied from them, the accounts) — see bench/commission.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import bindparam, exists, insert, select
from sqlalchemy.orm import aliased

from app.accounts.models import User
from app.core.models import utcnow
from app.core.money import share_of
from app.distribution import events, ledger, refunds
from app.distribution.agent_models import Agent, ReferralBinding
from app.distribution.commission_models import CommissionLine, CommissionRefund
from app.distribution.settings import (
    ACCRUAL_COLUMNS,
    SETTINGS_ID,
    AccrualSettings,
    accrual_settings_from,
    for_accrual,
)
from app.distribution.settings_models import MAX_LEVELS, AgentLevel, DistributionSettings, ProductCommissionRule
from app.distribution.settlement import freeze_order
from app.distribution.states import AgentStatus, LineStatus
from app.extensions import db
from app.marketing.points_models import RULES_ID, PointsRules
from app.orders.models import Order, OrderItem

PAID_STATUSES = ("paid", "shipped", "completed")


@dataclass
class Position:
    level: int
    user_id: int | None
    reason: str = ""


_POINTS_AS_PAID = select(PointsRules.count_as_paid).where(PointsRules.id == RULES_ID)


def _chain_statement():
    """Built once (statements are costly to build, and a built one keeps its cache key): the
    buyer's agent row and, three links up, each referrer, their binding's expiry and agent row,
    and the settings accrual reads on the same row (one round trip fewer)."""
    links = [aliased(ReferralBinding) for _ in range(MAX_LEVELS)]
    agents = [aliased(Agent) for _ in range(MAX_LEVELS + 1)]
    columns = [agents[0].status, agents[0].level_id]
    statement_from = select(User.id).outerjoin(agents[0], agents[0].user_id == User.id)
    below = User.id
    for link, agent in zip(links, agents[1:], strict=True):
        columns += [link.referrer_user_id, link.expires_at, agent.status, agent.level_id]
        statement_from = (statement_from.outerjoin(link, link.user_id == below)
                          .outerjoin(agent, agent.user_id == link.referrer_user_id))
        below = link.referrer_user_id
    # the settings: each a primary-key lookup (all None when the row does not exist yet)
    columns += [select(column).where(DistributionSettings.id == SETTINGS_ID).scalar_subquery()
                for column in ACCRUAL_COLUMNS]
    columns.append(_POINTS_AS_PAID.scalar_subquery())
    return statement_from.with_only_columns(*columns).where(User.id == bindparam("buyer"))


_CHAIN_AND_SETTINGS = _chain_statement()
_CHAIN_WIDTH = 2 + 4 * MAX_LEVELS


def chain_and_settings(connection: Any, buyer_id: int) -> tuple[dict[int, Any], list, AccrualSettings, bool]:
    """({user id: agent status and level} for the buyer and their referrers, [(referrer, expiry)]
    up to three links, the settings accrual reads, whether points deduction counts as paid)
    in one query."""
    row = connection.execute(_CHAIN_AND_SETTINGS, {"buyer": buyer_id}).first()
    if row is None:
        return {}, [], for_accrual(connection), bool(connection.execute(_POINTS_AS_PAID).scalar())
    return (*_parse_chain(buyer_id, row), accrual_settings_from(tuple(row[_CHAIN_WIDTH:-1])), bool(row[-1]))


def _parse_chain(buyer_id: int, row: Any) -> tuple[dict[int, Any], list[tuple[int, datetime | None]]]:
    agents: dict[int, Any] = {}
    found: list[tuple[int, datetime | None]] = []
    if row[0] is not None:
        agents[buyer_id] = SimpleNamespace(user_id=buyer_id, status=row[0], level_id=row[1])
    for index in range(2, 2 + 4 * MAX_LEVELS, 4):
        referrer, expires_at, status, level_id = row[index:index + 4]
        if referrer is None:
            break
        found.append((referrer, expires_at))
        if status is not None:
            agents[referrer] = SimpleNamespace(user_id=referrer, status=status, level_id=level_id)
    return agents, found


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


def _judge(position: Position, settings: AccrualSettings, agents: dict[int, Any]) -> str:
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


def points_fen(item: Any) -> int:
    """The fen of the item's share of the points deduction (0 for an item without parts)."""
    return sum(part.get("amount_fen", 0) for part in getattr(item, "discount_parts", None) or ()
               if part.get("kind") == "points")


def base_of(item: Any, settings: AccrualSettings, points_as_paid: bool = False) -> int:
    paid = item.paid_fen + points_fen(item) if points_as_paid else item.paid_fen
    if settings.base == "profit":
        return max(0, paid - item.unit_cost_fen * item.quantity)
    return paid


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


_ORDER = (select(Order.id, Order.user_id, Order.status, Order.paid_at, Order.activity_kind,
                 Order.activity_pays_commission)
          .where(Order.id == bindparam("order_id")).with_for_update())
# A locking read of its own: it sees lines a concurrent copy committed while this one waited
# for the order lock (a subquery of the order's read would use an older snapshot on MariaDB).
_ACCRUED = (select(CommissionLine.id).where(CommissionLine.order_id == bindparam("order_id")).limit(1)
            .with_for_update())
_RULE_COLUMNS = (ProductCommissionRule.product_id, ProductCommissionRule.mode, ProductCommissionRule.rates_bp,
                 ProductCommissionRule.fixed_fen)


def _items_statement(*extra: Any):
    return (select(*ITEM_COLUMNS, exists().where(CommissionRefund.order_item_id == OrderItem.id).label("refunded"),
                   *_RULE_COLUMNS, *extra)
            .outerjoin(ProductCommissionRule, ProductCommissionRule.product_id == OrderItem.product_id)
            .where(OrderItem.order_id == bindparam("order_id")).order_by(OrderItem.id))


_ITEMS = _items_statement()
# the items' discount parts (JSON) only when the points rule needs them (every paid order reads this)
_ITEMS_WITH_PARTS = _items_statement(OrderItem.discount_parts)
_INSERT_LINES = insert(CommissionLine.__table__)


def _lock_unaccrued(connection: Any, order_id: int) -> Any:
    """The order (the columns accrual reads), locked, if it is paid and has no commission lines yet."""
    order = connection.execute(_ORDER, {"order_id": order_id}).first()
    if order is None or order.paid_at is None or order.status not in PAID_STATUSES:
        return None
    if connection.execute(_ACCRUED, {"order_id": order_id}).first() is not None:
        return None
    return order


def _rule_of(columns: tuple) -> SimpleNamespace | None:
    product_id, mode, rates_bp, fixed_fen = columns
    return None if mode is None else SimpleNamespace(product_id=product_id, mode=mode, rates_bp=rates_bp,
                                                     fixed_fen=fixed_fen)


def order_reason(order: Any) -> str:
    """Why the whole order pays nothing, whoever stands in the chain ('' when it may pay): an
    activity order (秒杀, 拼团, 砍价) pays only when its activity said so when it was placed."""
    if order.activity_kind and not order.activity_pays_commission:
        return "activity_excluded"
    return ""


def accrue(order_id: int) -> int:
    """Write the order's commission lines and pending entries; returns how many lines pay.

    Runs for every paid order, so its reads and writes go straight to the session's connection
    (Core statements built once) rather than through the ORM's execution path, after one flush
    of whatever the caller left pending."""
    db.session.flush()
    connection = db.session.connection()
    order = _lock_unaccrued(connection, order_id)
    if order is None:
        return 0
    agents, found, settings, points_as_paid = chain_and_settings(connection, order.user_id)
    rows = connection.execute(_ITEMS_WITH_PARTS if points_as_paid else _ITEMS, {"order_id": order.id}).all()
    buyer = agents.get(order.user_id)
    positions = chain(order, settings, buyer is not None and buyer.status == AgentStatus.ACTIVE, found)
    level_ids = {agent.level_id for agent in agents.values() if agent.level_id}
    levels = {level.id: level for level in db.session.scalars(
        select(AgentLevel).where(AgentLevel.id.in_(level_ids)))} if level_ids else {}
    now = utcnow()
    lines: list[dict] = []
    width = len(ITEM_COLUMNS)
    whole_order = order_reason(order)
    for row in rows:
        item, rule = rows_item(row[:width]), _rule_of(tuple(row[width + 1:width + 1 + len(_RULE_COLUMNS)]))
        if points_as_paid:
            item.discount_parts = row[-1]
        base = base_of(item, settings, points_as_paid)
        for position in positions:
            values = {"base_fen": base, "reason": whole_order or _judge(position, settings, agents)}
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
    connection.execute(_INSERT_LINES, lines)  # one executemany
    owed: dict[int, int] = {}
    for line in lines:
        if line["status"] == LineStatus.PENDING:
            owed[line["beneficiary_user_id"]] = owed.get(line["beneficiary_user_id"], 0) + line["amount_fen"]
    ledger.post_accruals(order.id, owed, connection, created_at=now)
    if owed:
        events.commission_accrued(order.id)
    item_ids = [row[0] for row in rows]
    if any(row.refunded for row in rows):  # refunds that arrived before this job did
        for item in db.session.scalars(select(OrderItem).where(OrderItem.id.in_(item_ids))):
            refunds.apply_recorded(item)
    if order.status == "completed":
        freeze_order(order.id)  # completed before this job ran
    return sum(line["status"] == LineStatus.PENDING for line in lines)
