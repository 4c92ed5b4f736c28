"""The distribution console in a real browser: the merchant sets distribution up, approves an
agent's application, sees the commission on the order's own page, and approves a withdrawal."""

from __future__ import annotations

import requests
from playwright.sync_api import expect

from app.distribution import ledger
from app.distribution.agents import agent_of
from app.extensions import db
from tests import factories
from tests.admin_helpers import PASSWORD, make_staff
from tests.distribution_helpers import bind, paid_order, sku


def _api_login(server, name: str) -> tuple[dict[str, str], int]:
    answer = requests.post(f"{server.url}/api/v1/auth/dev-login", json={"name": name}, timeout=10).json()
    return {"Authorization": f"Bearer {answer['token']}"}, answer["user"]["id"]


def test_settings_application_order_commission_and_withdrawal(page, live_app, live_server):
    make_staff()
    page.goto("/admin/login")
    page.get_by_label("用户名").fill("boss")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    # settings: two levels, agents apply and are reviewed, withdrawals to the store balance
    page.goto("/admin/distribution/settings")
    page.locator("#levels").fill("2")
    page.locator("#rate1").fill("10")
    page.locator("#become_agent").select_option("apply")
    page.locator("input[name=withdraw_methods][value=balance]").check()
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已保存。")).to_be_visible()
    # a shopper applies in the mini-program; the merchant approves them from the queue
    headers, agent_id = _api_login(live_server, "journey_agent")
    applied = requests.post(f"{live_server.url}/api/v1/distribution/apply", json={"real_name": "旅程"},
                            headers=headers, timeout=10)
    assert applied.json() == {"status": "pending"}
    page.goto("/admin/distribution/applications")
    page.get_by_role("button", name="通过").first.click()
    expect(page.get_by_text("已同意。")).to_be_visible()
    db.session.expire_all()
    assert agent_of(agent_id).status == "active"
    # a friend the agent brought in buys: the order's own page shows the commission by level
    agent = db.session.get(type(factories.shopper()), agent_id)
    buyer = factories.shopper("旅程顾客")
    bind(buyer, agent)
    order = paid_order(buyer, [(sku(), 1)])
    page.goto(f"/admin/orders/{order.id}")
    commission = page.locator("#order-commission")
    expect(commission).to_contain_text("journey_agent")
    expect(commission).to_contain_text("¥10.00")
    # the agent withdraws available commission; the merchant approves it and it is paid
    ledger.post(agent_id, "test_credit", ref="journey", available=1_000)
    db.session.commit()
    made = requests.post(f"{live_server.url}/api/v1/distribution/withdrawals", headers=headers, timeout=10,
                         json={"amount_fen": 1_000, "method": "balance", "idempotency_key": "journey-001"})
    assert made.status_code == 201, made.text
    page.goto("/admin/distribution/withdrawals")
    page.locator("tr", has_text=made.json()["withdrawal_no"]).get_by_role("button", name="通过").click()
    expect(page.get_by_text("已同意。")).to_be_visible()
    page.goto(f"/admin/distribution/agents/{agent_id}")
    expect(page.locator("#agent-withdrawals")).to_contain_text("已提现")
    expect(page.locator("#agent-account")).to_contain_text("¥10.00")  # withdrawn
    assert page.console_errors == []
