"""The distribution console: settings (a fourth level refused with the reason), agents with
their teams and accounts, an order's per-level commission, and the withdrawals queue."""

from __future__ import annotations

import re

from app.audit.services import SYSTEM as SYSTEM_ACTOR
from app.distribution import ledger, settings, withdrawals
from app.distribution.agents import agent_of
from app.distribution.withdrawal_models import Withdrawal
from app.extensions import db
from tests import factories
from tests.admin_helpers import csrf_token, log_in, make_staff, post
from tests.distribution_helpers import account, bind, configure, paid_order, referral_chain, sku

SETTINGS_FORM = {"enabled": "y", "levels": "2", "rate1": "10", "rate2": "5", "rate3": "0", "base": "paid",
                 "become_agent": "apply", "become_product_ids": "", "become_spend": "0", "bind_eligibility": "all",
                 "bind_mode": "permanent", "bind_days": "30", "freeze_days": "7", "withdraw_methods": ["wechat"],
                 "withdraw_min": "1", "withdraw_max": "5000", "withdraw_fee": "0", "withdraw_daily_limit": "3",
                 "withdraw_auto_below": "0", "fan_points": "10", "fan_points_daily_cap": "5"}


def _owner(client):
    make_staff()
    log_in(client)


def test_settings_refuse_a_fourth_level_with_the_reason_and_save_good_values(app, client):
    _owner(client)
    assert client.get("/admin/distribution/settings").status_code == 200
    refused = post(client, "/admin/distribution/settings", {**SETTINGS_FORM, "levels": "4"})
    assert refused.status_code == 200 and "传销" in refused.get_data(as_text=True)
    db.session.rollback()
    assert settings.current().levels == 2
    saved = post(client, "/admin/distribution/settings", {**SETTINGS_FORM, "levels": "3", "rate3": "1.5",
                                                          "self_purchase": "y"})
    assert saved.status_code == 302
    db.session.rollback()
    row = settings.current()
    assert (row.levels, row.rate3_bp, row.self_purchase, row.withdraw_methods) == (3, 150, True, ["wechat"])


def test_agents_list_shows_teams_and_a_disable_takes_effect(app, client):
    _owner(client)
    a, b = referral_chain("阿甲", "阿乙")
    bind(factories.shopper(), b)
    page = client.get("/admin/distribution/agents").get_data(as_text=True)
    assert "阿甲" in page and agent_of(a.id).invite_code in page and "1 / 1 / 2" in page
    assert client.post(f"/admin/distribution/agents/{b.id}/disable").status_code == 400  # no CSRF token
    assert post(client, f"/admin/distribution/agents/{b.id}/disable").status_code == 302
    db.session.rollback()
    assert agent_of(b.id).status == "disabled"
    assert post(client, "/admin/distribution/agents/999999/disable").status_code == 404


def test_an_orders_commission_page_explains_every_level(app, client):
    _owner(client)
    configure(levels=1)
    _a, b = referral_chain("上级甲", "上级乙")
    buyer = factories.shopper()
    bind(buyer, b)
    order = paid_order(buyer, [(sku(), 1)])
    page = client.get(f"/admin/distribution/orders/{order.id}").get_data(as_text=True)
    assert "上级乙" in page and "¥10.00" in page
    assert "上级甲" in page and "超出设置的分佣层级" in page  # level 2 is beyond the configured levels
    assert client.get("/admin/distribution/orders/999999").status_code == 404


def test_the_withdrawals_queue_approves_and_rejects(app, client):
    _owner(client)
    configure(withdraw_methods=["balance"])
    (agent,) = referral_chain("提现者")
    ledger.post(agent.id, "test_credit", ref="1", available=5_000)
    first = withdrawals.apply(agent.id, amount_fen=1_000, method="balance", idempotency_key="a")
    second = withdrawals.apply(agent.id, amount_fen=2_000, method="balance", idempotency_key="b")
    db.session.commit()
    assert "¥10.00" in client.get("/admin/distribution/withdrawals").get_data(as_text=True)
    assert post(client, f"/admin/distribution/withdrawals/{first.id}/approve").status_code == 302
    rejected = post(client, f"/admin/distribution/withdrawals/{second.id}/reject", {"reason": "资料不符"})
    assert rejected.status_code == 302
    db.session.rollback()
    assert (db.session.get(Withdrawal, first.id).status, db.session.get(Withdrawal, second.id).status) == \
        ("paid", "rejected")
    assert account(agent)["available"] == 4_000


def test_applications_are_approved_or_rejected_from_the_queue(app, client):
    from app.distribution import agents

    _owner(client)
    configure(become_agent="apply")
    hopeful, doubtful = factories.shopper("申请人甲"), factories.shopper("申请人乙")
    first, second = agents.apply(hopeful.id, real_name="甲"), agents.apply(doubtful.id)
    db.session.commit()
    assert "申请人甲" in client.get("/admin/distribution/applications").get_data(as_text=True)
    assert post(client, f"/admin/distribution/applications/{first.id}/approve").status_code == 302
    assert post(client, f"/admin/distribution/applications/{second.id}/reject", {"reason": "不符合"}).status_code == 302
    db.session.rollback()
    assert agent_of(hopeful.id).status == "active" and agent_of(doubtful.id) is None


def test_agent_levels_are_created_with_rates_and_conditions(app, client):
    from app.distribution.settings_models import AgentLevel

    _owner(client)
    saved = post(client, "/admin/distribution/levels/new", {"name": "金牌", "rank": "2", "rate1": "15", "rate2": "",
                                                            "rate3": "", "match": "any", "direct_invites": "3",
                                                            "team_size": "0", "own_spend": "0", "team_sales": "100",
                                                            "commission": "0"})
    assert saved.status_code == 302
    db.session.rollback()
    level = db.session.scalar(db.select(AgentLevel))
    assert (level.rate1_bp, level.rate2_bp, level.upgrade_rules) == (1500, None, {
        "match": "any", "conditions": [{"kind": "direct_invites", "min": 3}, {"kind": "team_sales_fen", "min": 10000}]})
    page = client.get(f"/admin/distribution/levels/{level.id}").get_data(as_text=True)
    assert 'value="15.00"' in page and "金牌" in client.get("/admin/distribution/levels").get_data(as_text=True)


def test_the_tree_browser_shows_the_chain_up_and_the_team_down(app, client):
    _owner(client)
    top, middle = referral_chain("树根", "树干")
    leaf = factories.shopper("树叶")
    bind(leaf, middle)
    page = client.get(f"/admin/distribution/tree/{middle.id}").get_data(as_text=True)
    assert "树根" in page and "树叶" in page and "1 / 0 / 1" in page
    # one level up: the root's own team, and each member's team in its row (树干 brought 树叶)
    root = client.get(f"/admin/distribution/tree/{top.id}").get_data(as_text=True)
    assert "1 / 1 / 2" in root and re.search(r"树干.*?<td>1 / 0 / 1</td>", root, re.S)
    assert client.get("/admin/distribution/tree/999999").status_code == 404
    ledger_page = client.get(f"/admin/distribution/entries?user_id={top.id}")
    assert ledger_page.status_code == 200


def test_a_products_own_commission_is_set_from_the_console(app, client):
    from app.distribution import product_rules

    _owner(client)
    row = sku()
    assert client.get(f"/admin/distribution/products/{row.product_id}/commission").status_code == 200
    bad = post(client, f"/admin/distribution/products/{row.product_id}/commission",
               {"mode": "rates", "rate1": "150", "rate2": "0", "rate3": "0"})
    assert bad.status_code == 200 and product_rules.rule_of(row.product_id) is None
    saved = post(client, f"/admin/distribution/products/{row.product_id}/commission",
                 {"mode": "fixed", f"fixed-{row.id}-1": "3", f"fixed-{row.id}-2": "1.5", f"fixed-{row.id}-3": ""})
    assert saved.status_code == 302
    db.session.rollback()
    assert product_rules.rule_of(row.product_id).fixed_fen == {str(row.id): [300, 150, 0]}
    assert client.get("/admin/distribution/products/999999/commission").status_code == 404


def test_ticked_withdrawals_are_approved_together(app, client):
    _owner(client)
    configure(withdraw_methods=["balance"], withdraw_daily_limit=10)
    (agent,) = referral_chain("批量")
    ledger.post(agent.id, "test_credit", ref="batch", available=5_000)
    rows = [withdrawals.apply(agent.id, amount_fen=500, method="balance", idempotency_key=f"b{n}") for n in range(3)]
    db.session.commit()
    withdrawals.reject(SYSTEM_ACTOR, rows[2].id, "先驳回")
    db.session.commit()
    answer = client.post("/admin/distribution/withdrawals/approve",
                         data={"ids": [str(row.id) for row in rows], "csrf_token": csrf_token(client, "/admin/")})
    assert answer.status_code == 302
    db.session.rollback()
    assert [db.session.get(Withdrawal, row.id).status for row in rows] == ["paid", "paid", "rejected"]
