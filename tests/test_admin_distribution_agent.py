"""The console shows each order's commission by level on the order page, a product's own
commission rule in its editor, and one agent's whole picture on the agent page, where the
merchant appoints, disables, re-enables, removes and sets the level."""

from __future__ import annotations

from app.audit.services import SYSTEM
from app.distribution import ledger, product_rules, withdrawals
from app.distribution.agents import agent_of
from app.distribution.settings_models import AgentLevel
from app.extensions import db
from tests import factories
from tests.admin_helpers import log_in, make_staff, post
from tests.distribution_helpers import bind, configure, paid_order, referral_chain, sku


def _owner(client):
    make_staff()
    log_in(client)


def test_the_order_page_shows_the_commission_of_every_level_inline(app, client):
    _owner(client)
    configure(levels=1)
    _a, b = referral_chain("订单上级甲", "订单上级乙")
    buyer = factories.shopper()
    bind(buyer, b)
    order = paid_order(buyer, [(sku(), 1)])
    page = client.get(f"/admin/orders/{order.id}").get_data(as_text=True)
    assert 'id="order-commission"' in page
    section = page[page.index('id="order-commission"'):]
    assert "订单上级乙" in section and "¥10.00" in section
    assert "订单上级甲" in section and "超出设置的分佣层级" in section  # why level 2 paid nothing
    assert f"/admin/distribution/agents/{b.id}" in section


def test_the_product_editor_summarises_the_products_commission_rule(app, client):
    _owner(client)
    row = sku()
    product_id = row.product_id
    page = client.get(f"/admin/products/{product_id}").get_data(as_text=True)
    assert 'id="product-commission"' in page and f"/admin/distribution/products/{product_id}/commission" in page
    product_rules.save(SYSTEM, product_id, mode="rates", rates_bp=[1200, 300, 0])
    db.session.commit()
    page = client.get(f"/admin/products/{product_id}").get_data(as_text=True)
    section = page[page.index('id="product-commission"'):]
    assert "12.00%" in section and "3.00%" in section


def test_the_agent_page_shows_account_chain_team_commission_and_history(app, client):
    _owner(client)
    configure(withdraw_methods=["balance"], withdraw_min_fen=100)
    top, middle = referral_chain("详情上级", "详情本人")
    buyer = factories.shopper("详情顾客")
    bind(buyer, middle)
    order = paid_order(buyer, [(sku(), 1)])
    page = client.get(f"/admin/distribution/agents/{middle.id}").get_data(as_text=True)
    assert "详情本人" in page and agent_of(middle.id).invite_code in page
    assert "详情上级" in page[page.index('id="agent-chain"'):]  # referred by
    assert "详情顾客" in page[page.index('id="agent-team"'):]
    assert order.order_no in page[page.index('id="agent-commission"'):]
    assert "佣金入账" in page[page.index('id="agent-entries"'):]
    assert "bind" in page[page.index('id="agent-bindings"'):]
    assert client.get("/admin/distribution/agents/999999").status_code == 404
    agents_page = client.get("/admin/distribution/agents").get_data(as_text=True)
    assert f"/admin/distribution/agents/{middle.id}" in agents_page
    tree = client.get(f"/admin/distribution/tree/{top.id}").get_data(as_text=True)
    assert f"/admin/distribution/agents/{middle.id}" in tree


def test_the_agent_page_lists_withdrawals(app, client):
    _owner(client)
    configure(withdraw_methods=["balance"], withdraw_min_fen=100)
    (rich,) = referral_chain("详情提现")
    ledger.post(rich.id, "test_credit", ref="detail", available=5_000)
    withdrawal = withdrawals.apply(rich.id, amount_fen=1_000, method="balance", idempotency_key="detail-1")
    db.session.commit()
    page = client.get(f"/admin/distribution/agents/{rich.id}").get_data(as_text=True)
    assert withdrawal.withdrawal_no in page[page.index('id="agent-withdrawals"'):]
    assert "¥40.00" in page[page.index('id="agent-account"'):]  # available after the hold


def test_the_merchant_acts_on_an_agent_from_their_page(app, client):
    _owner(client)
    gold = AgentLevel(name="详情金牌", rank=1)
    db.session.add(gold)
    shopper = factories.shopper("详情候选")
    db.session.commit()
    detail = f"/admin/distribution/agents/{shopper.id}"
    assert 'action="/admin/distribution/agents/appoint"' in client.get(detail).get_data(as_text=True)
    assert post(client, "/admin/distribution/agents/appoint", {"user_id": str(shopper.id), "back": "detail"}).headers[
        "Location"].endswith(detail)
    db.session.rollback()
    assert agent_of(shopper.id).status == "active"
    assert post(client, f"/admin/distribution/agents/{shopper.id}/disable", {"back": "detail"}).headers[
        "Location"].endswith(detail)
    db.session.rollback()
    assert agent_of(shopper.id).status == "disabled"
    post(client, f"/admin/distribution/agents/{shopper.id}/enable", {"back": "detail"})
    db.session.rollback()
    assert agent_of(shopper.id).status == "active"
    assert post(client, f"/admin/distribution/agents/{shopper.id}/level", {"level_id": str(gold.id)}).headers[
        "Location"].endswith(detail)
    db.session.rollback()
    assert agent_of(shopper.id).level_id == gold.id
    assert "详情金牌" in client.get(detail).get_data(as_text=True)
    post(client, f"/admin/distribution/agents/{shopper.id}/remove", {"back": "detail"})
    db.session.rollback()
    assert agent_of(shopper.id).status == "removed"
