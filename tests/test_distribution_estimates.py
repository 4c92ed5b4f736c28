"""The storefront's 赚 badge: what an agent earns on one unit of a product, priced as accrual
prices the commission line (product rule, agent level, global rate, sale or profit base)."""

from __future__ import annotations

from app.audit.services import SYSTEM
from app.distribution import agents, product_rules
from app.distribution.settings_models import AgentLevel
from app.extensions import db
from tests import factories
from tests.distribution_helpers import configure


def _login(client, name: str) -> tuple[dict[str, str], int]:
    answer = client.post("/api/v1/auth/dev-login", json={"name": name}).get_json()
    return {"Authorization": f"Bearer {answer['token']}"}, answer["user"]["id"]


def _estimates(client, headers, *products) -> dict:
    ids = ",".join(str(product.id) for product in products)
    answer = client.get(f"/api/v1/distribution/estimates?product_ids={ids}", headers=headers)
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()["items"]


def test_an_agent_sees_the_level_one_commission_on_the_cheapest_sku(app, client):
    configure(rate1_bp=1000)
    headers, user_id = _login(client, "badge_amy")
    agents.appoint(SYSTEM, user_id)
    db.session.commit()
    tea = factories.product(factories.category(), price_fen=8800, skus=2)  # 88.00 and 89.00
    assert _estimates(client, headers, tea) == {str(tea.id): 880}


def test_a_shopper_who_is_not_an_agent_sees_nothing(app, client):
    headers, _user_id = _login(client, "badge_sam")
    tea = factories.product(factories.category(), price_fen=8800)
    assert _estimates(client, headers, tea) == {}


def test_product_rules_agent_levels_and_the_profit_base_count(app, client):
    configure(rate1_bp=1000, base="profit")
    gold = AgentLevel(name="金牌", rank=1, rate1_bp=2000)
    db.session.add(gold)
    db.session.commit()
    headers, user_id = _login(client, "badge_gold")
    agents.appoint(SYSTEM, user_id, gold.id)
    db.session.commit()
    category = factories.category()
    plain, excluded, fixed = (factories.product(category, price_fen=10_000) for _ in range(3))
    plain.skus[0].cost_fen = 6_000  # profit 40.00 at the gold rate 20%
    product_rules.save(SYSTEM, excluded.id, mode="excluded")
    product_rules.save(SYSTEM, fixed.id, mode="fixed", fixed_fen={fixed.skus[0].id: [500, 200, 100]})
    db.session.commit()
    assert _estimates(client, headers, plain, excluded, fixed) == {
        str(plain.id): 800, str(excluded.id): 0, str(fixed.id): 500}


def test_malformed_product_ids_are_refused(app, client):
    headers, _user_id = _login(client, "badge_bad")
    for bad in ("", "a,b", "1,,2", "0", ",".join(["1"] * 51)):
        answer = client.get(f"/api/v1/distribution/estimates?product_ids={bad}", headers=headers)
        assert answer.status_code == 422, bad
        assert answer.get_json()["error"]["code"] == "validation_failed"
