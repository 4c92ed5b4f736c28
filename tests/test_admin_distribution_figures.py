"""The console's agent pages at scale: the agents list finds an agent by what the merchant
has in hand through an index (start of a nickname, member ID, phone, invite code), the agent
page shows this day's, week's and month's commission from the rollups, and the ledger
filtered by an agent shows that agent's account."""

from __future__ import annotations

import re

from sqlalchemy import update

from app.accounts.models import User
from app.distribution.agents import agent_of
from app.extensions import db
from tests import factories
from tests.admin_helpers import log_in, make_staff
from tests.distribution_helpers import bind, configure, paid_order, referral_chain, refund, sku


def _owner(client):
    make_staff()
    log_in(client)


def _listed(client, **query) -> list[int]:
    page = client.get("/admin/distribution/agents", query_string=query).get_data(as_text=True)
    body = page[page.index("<tbody>"):page.index("</tbody>")]
    return [int(user_id) for user_id in re.findall(r'href="/admin/distribution/agents/(\d+)"', body)]


def test_the_agents_list_finds_an_agent_by_id_phone_invite_code_or_the_start_of_a_nickname(app, client):
    _owner(client)
    zhang_wei, zhang_hua, wang = referral_chain("张伟", "张小花", "王小张")
    db.session.execute(update(User).where(User.id == wang.id).values(phone="13912345678"))
    db.session.commit()
    newest_first = [wang.id, zhang_hua.id, zhang_wei.id]

    assert _listed(client) == newest_first
    assert _listed(client, q="张") == [zhang_hua.id, zhang_wei.id]  # not 王小张: a name's start only
    assert _listed(client, q="张小") == [zhang_hua.id]
    assert _listed(client, q=str(zhang_wei.id)) == [zhang_wei.id]
    assert _listed(client, q="13912345678") == [wang.id]
    assert _listed(client, q=agent_of(zhang_hua.id).invite_code) == [zhang_hua.id]
    assert _listed(client, q="100%") == []
    db.session.execute(update(User).where(User.id == zhang_wei.id).values(nickname="100%满意"))
    db.session.commit()
    assert _listed(client, q="100%") == [zhang_wei.id]  # % is a character, not a wildcard
    assert _listed(client, q="10_%") == []


def test_the_agents_list_filters_by_status_newest_first(app, client):
    _owner(client)
    first, second, third = referral_chain("甲一", "甲二", "甲三")
    agent_of(second.id).status = "disabled"
    db.session.commit()
    assert _listed(client, status="active") == [third.id, first.id]
    assert _listed(client, status="disabled") == [second.id]
    assert _listed(client, status="removed") == []


def test_the_agent_page_shows_todays_weeks_and_months_commission_and_new_shoppers(app, client):
    _owner(client)
    configure(levels=1, rate1_bp=1000)
    (agent,) = referral_chain("周期本人")
    buyer = factories.shopper("周期顾客")
    bind(buyer, agent)
    order = paid_order(buyer, [(sku(10_000), 3)])
    refund(order.items[0], 10_000, 1, after_sale_id=1)
    page = client.get(f"/admin/distribution/agents/{agent.id}").get_data(as_text=True)
    periods = page[page.index('id="agent-periods"'):]
    periods = periods[:periods.index("</dl>")]
    assert periods.count("¥20.00") == 3  # 3 000 paid, 1 000 taken back: today, this week, this month
    assert re.search(r"本月新增顾客</dt><dd[^>]*>1</dd>", periods)


def test_the_ledger_of_one_agent_shows_their_account(app, client):
    _owner(client)
    configure(levels=1, rate1_bp=1000)
    (agent,) = referral_chain("流水本人")
    buyer = factories.shopper()
    bind(buyer, agent)
    paid_order(buyer, [(sku(10_000), 1)])
    page = client.get("/admin/distribution/entries", query_string={"user_id": agent.id}).get_data(as_text=True)
    line = page[page.index('id="ledger-account"'):]
    assert "流水本人" in line[:line.index("</p>")] and "¥10.00" in line[:line.index("</p>")]
    assert 'id="ledger-account"' not in client.get("/admin/distribution/entries").get_data(as_text=True)
