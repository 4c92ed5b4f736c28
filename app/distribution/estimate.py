"""What an agent earns on one unit of a product if a shopper they brought in buys it: the
storefront's "赚 ¥x.xx" badge. Priced like accrual itself (`accrual.price`: product rule, the
agent's level, the global level-1 rate, on the sale or profit base) at the cheapest SKU's
current price, so the badge and the commission line agree. Nothing for a shopper who is not
an active agent or while distribution is off."""

from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import select

from app.catalog.models import Sku
from app.distribution import accrual
from app.distribution.agent_models import Agent
from app.distribution.settings import for_accrual
from app.distribution.settings_models import AgentLevel, ProductCommissionRule
from app.extensions import db

MAX_PRODUCTS = 50


def product_estimates(user_id: int, product_ids: list[int]) -> dict[int, int]:
    """{product_id: commission fen on one unit of its cheapest SKU}; {} for non-agents."""
    agent = db.session.scalar(select(Agent).where(Agent.user_id == user_id))
    settings = for_accrual()
    if agent is None or agent.status != "active" or not settings.enabled or settings.levels < 1:
        return {}
    ids = list(dict.fromkeys(product_ids))[:MAX_PRODUCTS]
    cheapest: dict[int, tuple] = {}
    for sku_id, product_id, price_fen, cost_fen in db.session.execute(
            select(Sku.id, Sku.product_id, Sku.price_fen, Sku.cost_fen).where(Sku.product_id.in_(ids))
            .order_by(Sku.price_fen, Sku.id)):
        cheapest.setdefault(product_id, (sku_id, price_fen, cost_fen))
    rules = {rule.product_id: rule for rule in db.session.scalars(
        select(ProductCommissionRule).where(ProductCommissionRule.product_id.in_(cheapest)))}
    levels = {level.id: level for level in db.session.scalars(select(AgentLevel))}
    estimates = {}
    for product_id, (sku_id, price_fen, cost_fen) in cheapest.items():
        item = SimpleNamespace(sku_id=sku_id, quantity=1, paid_fen=price_fen, unit_cost_fen=cost_fen)
        priced = accrual.price(item, 1, accrual.base_of(item, settings), settings, agent,
                               rules.get(product_id), levels)
        estimates[product_id] = priced.get("amount_fen", 0)
    return estimates
