"""The agent's API: bind with an invite code, apply, see one's own summary, commission,
team and withdrawals — and nobody else's (another agent's ids answer 404)."""

from __future__ import annotations

from app.accounts.models import User
from app.distribution import agents, ledger
from app.extensions import db
from tests import factories
from tests.distribution_helpers import bind, configure, paid_order, sku


def _login(client, name: str) -> tuple[dict[str, str], User]:
    answer = client.post("/api/v1/auth/dev-login", json={"name": name})
    assert answer.status_code == 200, answer.get_json()
    user = db.session.get(User, answer.get_json()["user"]["id"])
    return {"Authorization": f"Bearer {answer.get_json()['token']}"}, user


def _agent(client, name: str):
    headers, user = _login(client, name)
    from app.audit.services import SYSTEM

    agents.appoint(SYSTEM, user.id)
    db.session.commit()
    return headers, user


def test_a_shopper_binds_with_an_invite_code_and_the_agent_sees_them(app, client):
    agent_headers, agent = _agent(client, "agent_amy")
    code = agents.agent_of(agent.id).invite_code
    shopper_headers, shopper = _login(client, "shopper_sam")
    answer = client.post("/api/v1/distribution/bind", json={"code": code, "source": "wxacode"}, headers=shopper_headers)
    assert answer.status_code == 200 and answer.get_json() == {"result": "bound", "reason": ""}
    refused = client.post("/api/v1/distribution/bind", json={"code": code}, headers=agent_headers)
    assert refused.get_json() == {"result": "refused", "reason": "self"}
    me = client.get("/api/v1/distribution/me", headers=agent_headers).get_json()
    assert me["is_agent"] and me["invite_code"] == code and me["team"] == {"level1": 1, "level2": 0, "total": 1}
    team = client.get("/api/v1/distribution/team?level=1", headers=agent_headers).get_json()
    assert [member["user_id"] for member in team["items"]] == [shopper.id]
    assert client.post("/api/v1/distribution/bind", json={"code": "bad!"}, headers=shopper_headers).status_code == 422


def test_commission_lines_and_an_orders_commission_show_only_ones_own(app, client):
    configure(levels=2)
    upper_headers, upper = _agent(client, "agent_up")
    lower_headers, lower = _agent(client, "agent_low")
    bind(lower, upper)
    buyer = factories.shopper()
    bind(buyer, lower)
    order = paid_order(buyer, [(sku(), 1)])
    lines = client.get("/api/v1/distribution/commissions", headers=upper_headers).get_json()
    assert [(line["level"], line["amount_fen"], line["status"]) for line in lines["items"]] == [(2, 500, "pending")]
    mine = client.get(f"/api/v1/distribution/orders/{order.id}/commission", headers=upper_headers).get_json()
    assert [line["beneficiary_user_id"] for line in mine["items"][0]["lines"]] == [upper.id]
    outsider_headers, _outsider = _agent(client, "agent_out")
    assert client.get(f"/api/v1/distribution/orders/{order.id}/commission",
                      headers=outsider_headers).status_code == 404
    summary = client.get("/api/v1/distribution/me", headers=lower_headers).get_json()
    assert summary["account"]["pending_fen"] == 1000 and summary["commission"]["today_fen"] == 1000


def test_withdrawals_through_the_api_are_idempotent_and_private(app, client):
    configure(withdraw_methods=["balance"])
    headers, agent = _agent(client, "agent_wd")
    ledger.post(agent.id, "test_credit", ref="api", available=3_000)
    db.session.commit()
    body = {"amount_fen": 1_000, "method": "balance", "idempotency_key": "key-000001"}
    first = client.post("/api/v1/distribution/withdrawals", json=body, headers=headers)
    again = client.post("/api/v1/distribution/withdrawals", json=body, headers=headers)
    assert first.status_code == 201 and again.get_json()["id"] == first.get_json()["id"]
    too_much = client.post("/api/v1/distribution/withdrawals", json={**body, "idempotency_key": "key-000002",
                                                                     "amount_fen": 2_001}, headers=headers)
    assert too_much.status_code == 409 and too_much.get_json()["error"]["code"] == "not_enough"
    listed = client.get("/api/v1/distribution/withdrawals", headers=headers).get_json()
    assert [row["amount_fen"] for row in listed["items"]] == [1_000]
    other_headers, _other = _agent(client, "agent_other")
    withdrawal_id = first.get_json()["id"]
    assert client.get(f"/api/v1/distribution/withdrawals/{withdrawal_id}/transfer",
                      headers=other_headers).status_code == 404
    assert client.get("/api/v1/distribution/withdrawals", headers=other_headers).get_json()["items"] == []


def test_applying_creates_one_pending_application(app, client):
    configure(become_agent="apply")
    headers, _user = _login(client, "hopeful")
    assert client.post("/api/v1/distribution/apply", json={"real_name": "李四"}, headers=headers).get_json() == \
        {"status": "pending"}
    assert client.post("/api/v1/distribution/apply", json={}, headers=headers).get_json() == {"status": "pending"}


def test_the_distribution_api_needs_a_login(app, client):
    assert client.get("/api/v1/distribution/me").status_code == 401


def test_rankings_by_commission_and_by_invites(app, client):
    configure(levels=1)
    headers, top = _agent(client, "agent_top")
    _headers, second = _agent(client, "agent_second")
    for _ in range(2):
        buyer = factories.shopper()
        bind(buyer, top)
        paid_order(buyer, [(sku(), 1)])
    bind(factories.shopper(), second)
    by_commission = client.get("/api/v1/distribution/rankings?by=commission&period=month", headers=headers).get_json()
    assert [(row["user_id"], row["value"]) for row in by_commission["items"]] == [(top.id, 2000)]
    by_invites = client.get("/api/v1/distribution/rankings?by=invites", headers=headers).get_json()
    assert [(row["user_id"], row["value"]) for row in by_invites["items"]] == [(top.id, 2), (second.id, 1)]
