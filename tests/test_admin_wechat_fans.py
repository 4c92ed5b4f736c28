"""The fan list, and who may use the official-account pages."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from app.accounts.models import User
from app.extensions import db
from app.officialaccount.models import Fan
from tests.admin_helpers import log_in, make_staff
from tests.wechat_console import post_form, rule_form

NOW = datetime(2026, 11, 20, 12, 0)


def _fan(openid: str, nickname: str, *, days_ago: int, status: str = "subscribed", resubscribes: int = 0,
         scene: str | None = None) -> Fan:
    user = User(oa_openid=openid, nickname=nickname)
    db.session.add(user)
    db.session.flush()
    fan = Fan(openid=openid, user_id=user.id, status=status, first_subscribed_at=NOW - timedelta(days=30 + days_ago),
              subscribed_at=NOW - timedelta(days=days_ago), resubscribe_count=resubscribes, subscribe_scene=scene,
              unsubscribed_at=NOW - timedelta(days=1) if status == "unsubscribed" else None, last_event_time=0)
    db.session.add(fan)
    return fan


@pytest.fixture
def fans(app):
    _fan("o_alice", "小花", days_ago=1, scene="a=X7k2")
    _fan("o_bob", "阿强", days_ago=5, status="unsubscribed")
    _fan("o_carol", "Carol", days_ago=3, resubscribes=2)
    db.session.commit()


def _openids(html: str) -> list[str]:
    return re.findall(r'data-fan="([^"]+)"', html)


@pytest.fixture
def console(app, client):
    make_staff("boss", role="owner")
    log_in(client, "boss")
    return client


@pytest.mark.parametrize(("query", "expected"), [
    ("", ["o_alice", "o_carol", "o_bob"]),
    ("?status=subscribed", ["o_alice", "o_carol"]),
    ("?status=unsubscribed", ["o_bob"]),
    ("?q=小花", ["o_alice"]),
    ("?q=o_car", ["o_carol"]),
    ("?q=%25", []),  # a literal %, not a wildcard
    ("?sort=resubscribes", ["o_carol", "o_bob", "o_alice"]),
    ("?sort=first_subscribed", ["o_bob", "o_carol", "o_alice"]),
    ("?sort=unsubscribed", ["o_bob", "o_carol", "o_alice"]),
    ("?size=2&page=2", ["o_bob"]),
])
def test_the_fan_list_searches_filters_sorts_and_pages(console, fans, query, expected):
    html = console.get(f"/admin/wechat/fans{query}").get_data(as_text=True)
    assert _openids(html) == expected


def test_each_fan_links_to_their_member_page_and_shows_their_history(console, fans):
    html = console.get("/admin/wechat/fans?q=o_alice").get_data(as_text=True)
    alice = db.session.query(Fan).filter_by(openid="o_alice").one()
    assert f'href="/admin/members/{alice.user_id}">小花</a>' in html
    assert "a=X7k2" in html and "2026-11-19 20:00" in html  # 12:00 UTC, shown in Beijing time
    carol = console.get("/admin/wechat/fans?q=o_carol").get_data(as_text=True)
    assert re.search(r'class="text-end tabular">2</td>', carol)
    bob = console.get("/admin/wechat/fans?q=o_bob").get_data(as_text=True)
    assert "2026-11-19 20:00" in bob  # when Bob left (Beijing time)


def test_the_counts_cover_every_fan(console, fans):
    html = console.get("/admin/wechat/fans").get_data(as_text=True)
    counts = re.findall(r'fw-semibold tabular text-body">(\d+)<', html)
    assert counts == ["3", "2", "1"]


def test_the_fan_list_is_read_only(app):
    rules = {rule.rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/admin/wechat/fans")}
    methods = {method for rule in app.url_map.iter_rules() if rule.rule in rules for method in rule.methods}
    assert methods <= {"GET", "HEAD", "OPTIONS"}


WECHAT_PAGES = ["/admin/wechat/replies/keywords", "/admin/wechat/replies/keywords/new",
                "/admin/wechat/replies/slot/subscribe", "/admin/wechat/replies/special",
                "/admin/wechat/replies/custom", "/admin/wechat/menu", "/admin/wechat/fans"]


@pytest.mark.parametrize("path", WECHAT_PAGES)
def test_a_finance_user_cannot_open_the_wechat_pages(app, client, path):
    make_staff("money", role="finance")
    log_in(client, "money")
    assert client.get(path).status_code == 403


def test_a_finance_user_cannot_change_replies_or_the_menu(app, client):
    make_staff("money", role="finance")
    log_in(client, "money")
    assert post_form(client, "/admin/wechat/replies/keywords/new", rule_form()).status_code == 403
    assert post_form(client, "/admin/wechat/menu", {"buttons.0.name": "x", "buttons.0.type": "click",
                                                    "buttons.0.key": "K"}).status_code == 403
    assert post_form(client, "/admin/wechat/menu/publish", {}).status_code == 403
    assert db.session.query(Fan).count() == 0


@pytest.mark.parametrize("path", WECHAT_PAGES)
def test_customer_service_may_use_the_wechat_pages(app, client, path):
    make_staff("kefu", role="service")
    log_in(client, "kefu")
    assert client.get(path).status_code == 200


def test_the_sidebar_lists_the_wechat_pages_only_for_roles_that_have_them(app, client):
    make_staff("kefu", role="service")
    make_staff("money", role="finance")
    log_in(client, "kefu")
    html = client.get("/admin/").get_data(as_text=True)
    assert all(f'href="{path}"' in html for path in ("/admin/wechat/replies/keywords", "/admin/wechat/menu",
                                                     "/admin/wechat/fans"))
    other = app.test_client()
    log_in(other, "money")
    assert "/admin/wechat/" not in other.get("/admin/").get_data(as_text=True)
