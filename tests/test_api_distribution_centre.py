"""The mini-program's distribution centre: summary by status, promotion orders (buyers
masked), team by level with orders and spend, the withdrawal form's rules, and the agent
application — each agent sees only their own (two agents; the other's ids answer 404)."""

from __future__ import annotations

from app.audit.services import SYSTEM, Actor
from app.core.china_time import to_beijing
from app.distribution import agents, ledger
from app.extensions import db
from app.orders.models import Order
from tests import factories
from tests.distribution_helpers import bind, configure, paid_order, refund, sku
from tests.test_api_distribution import _agent, _login

STAFF = Actor(None, "127.0.0.1")


def _two_agents_with_a_sale(client):
    configure(levels=2, rate1_bp=1000, rate2_bp=500)
    upper_headers, upper = _agent(client, "centre_up")
    lower_headers, lower = _agent(client, "centre_low")
    bind(lower, upper)
    buyer = factories.shopper("王小明")
    bind(buyer, lower)
    order = paid_order(buyer, [(sku(), 2)])
    return (upper_headers, upper), (lower_headers, lower), buyer, order


def test_the_summary_gives_commission_today_and_in_all_by_status(app, client):
    (_uh, _upper), (lower_headers, _lower), _buyer, _order = _two_agents_with_a_sale(client)
    me = client.get("/api/v1/distribution/me", headers=lower_headers).get_json()
    assert me["commission"]["by_status"] == {"pending": 2000, "frozen": 0, "available": 0, "cancelled": 0}
    assert me["commission"]["today_by_status"]["pending"] == 2000 and me["commission"]["total_fen"] == 2000
    assert me["account"]["available_fen"] == 0 and me["team"] == {"level1": 1, "level2": 0, "total": 1}


def test_promotion_orders_show_each_order_once_with_the_buyer_masked(app, client):
    (upper_headers, _upper), (lower_headers, _lower), _buyer, order = _two_agents_with_a_sale(client)
    refund(order.items[0], order.items[0].paid_fen // 2, 1, after_sale_id=1)
    mine = client.get("/api/v1/distribution/promotion-orders", headers=lower_headers).get_json()
    assert mine["total"] == 1
    row = mine["items"][0]
    assert (row["order_id"], row["buyer_nickname"], row["levels"]) == (order.id, "王*明", [1])
    assert (row["commission_fen"], row["commission_net_fen"], row["commission_status"]) == (2000, 1000, "pending")
    expected = to_beijing(db.session.get(Order, order.id).paid_at).isoformat(timespec="seconds")
    assert row["paid_at"] == expected and expected.endswith("+08:00")  # one time format in every answer
    upper = client.get("/api/v1/distribution/promotion-orders", headers=upper_headers).get_json()
    assert [(item["levels"], item["commission_fen"]) for item in upper["items"]] == [([2], 1000)]
    outsider_headers, _outsider = _agent(client, "centre_out")
    assert client.get("/api/v1/distribution/promotion-orders", headers=outsider_headers).get_json()["items"] == []
    assert client.get(f"/api/v1/distribution/orders/{order.id}/commission",
                      headers=outsider_headers).status_code == 404


def test_each_agent_sees_only_their_own_team_by_level_with_orders_and_spend(app, client):
    (upper_headers, _upper), (lower_headers, lower), buyer, order = _two_agents_with_a_sale(client)
    level1 = client.get("/api/v1/distribution/team?level=1", headers=upper_headers).get_json()["items"]
    assert [(member["user_id"]) for member in level1] == [lower.id]
    level2 = client.get("/api/v1/distribution/team?level=2", headers=upper_headers).get_json()["items"]
    assert [(member["user_id"], member["orders"], member["spend_fen"]) for member in level2] == \
        [(buyer.id, 1, order.paid_fen)]
    lower_team = client.get("/api/v1/distribution/team?level=1", headers=lower_headers).get_json()["items"]
    assert [member["user_id"] for member in lower_team] == [buyer.id]
    assert client.get("/api/v1/distribution/team?level=2", headers=lower_headers).get_json()["items"] == []
    assert client.get("/api/v1/distribution/team?level=4", headers=lower_headers).status_code == 422


def test_the_withdrawal_config_is_what_the_form_needs(app, client):
    configure(withdraw_methods=["balance", "bank"], withdraw_min_fen=200, withdraw_max_fen=9_000,
              withdraw_fee_bp=60, withdraw_daily_limit=2, withdraw_auto_below_fen=0)
    headers, user = _agent(client, "centre_cfg")
    ledger.post(user.id, "test_credit", ref="cfg", available=5_000)
    db.session.commit()
    config = client.get("/api/v1/distribution/withdrawal-config", headers=headers).get_json()
    assert config["methods"] == ["balance", "bank"] and (config["min_fen"], config["max_fen"]) == (200, 9_000)
    assert (config["fee_bp"], config["daily_limit"], config["today_left"]) == (60, 2, 2)
    assert config["available_fen"] == 5_000 and config["wechat_ready"] is True
    client.post("/api/v1/distribution/withdrawals", headers=headers,
                json={"amount_fen": 1_000, "method": "balance", "idempotency_key": "cfg-0001"})
    config = client.get("/api/v1/distribution/withdrawal-config", headers=headers).get_json()
    assert (config["today_left"], config["available_fen"]) == (1, 4_000)


def test_the_application_status_follows_apply_review_and_rejection(app, client):
    configure(become_agent="apply")
    headers, user = _login(client, "centre_hopeful")
    status = client.get("/api/v1/distribution/application", headers=headers).get_json()
    assert (status["status"], status["can_apply"], status["application"]) == ("none", True, None)
    client.post("/api/v1/distribution/apply", json={"real_name": "张三"}, headers=headers)
    status = client.get("/api/v1/distribution/application", headers=headers).get_json()
    assert (status["status"], status["can_apply"]) == ("pending", False)
    application_id = status["application"]["id"]
    agents.reject(STAFF, application_id, "资料不全")
    db.session.commit()
    status = client.get("/api/v1/distribution/application", headers=headers).get_json()
    assert (status["status"], status["can_apply"], status["application"]["reject_reason"]) == \
        ("rejected", True, "资料不全")
    client.post("/api/v1/distribution/apply", json={"real_name": "张三"}, headers=headers)
    agents.approve(STAFF, client.get("/api/v1/distribution/application", headers=headers)
                   .get_json()["application"]["id"])
    db.session.commit()
    assert client.get("/api/v1/distribution/application", headers=headers).get_json()["status"] == "agent"
    agents.disable(SYSTEM, user.id)
    db.session.commit()
    assert client.get("/api/v1/distribution/application", headers=headers).get_json()["status"] == "disabled"


def test_the_centre_is_in_the_openapi_document(app, client):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in ("/distribution/me", "/distribution/commissions", "/distribution/promotion-orders",
                 "/distribution/team", "/distribution/rankings", "/distribution/withdrawals",
                 "/distribution/withdrawal-config", "/distribution/withdrawals/{withdrawal_id}/transfer",
                 "/distribution/apply", "/distribution/application"):
        assert any(key.endswith(path) for key in paths), path
    assert client.get("/api/v1/distribution/promotion-orders").status_code == 401
