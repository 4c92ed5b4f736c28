"""The console's pickers (/admin/pick/…): what the dialog lists for a search, a page at a
time, only for staff whose role reaches the page the items belong to — and the forms that
take a picked id instead of a typed one."""

from __future__ import annotations

import pytest

from app.distribution.models import Agent
from app.extensions import db
from tests import factories
from tests.admin_helpers import log_in, make_staff, post
from tests.distribution_helpers import agent

JSON = {"Accept": "application/json"}


def console_as(app, role: str = "owner"):
    make_staff(f"picker_{role}", role=role)
    client = app.test_client()
    log_in(client, f"picker_{role}")
    return client


def titles(answer) -> list[str]:
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return [item["title"] for item in answer.get_json()["items"]]


@pytest.fixture
def owner(app):
    return console_as(app)


def test_members_are_found_by_the_start_of_a_nickname_or_phone_or_by_id(app, owner):
    wang, li = factories.shopper("王小明"), factories.shopper("李四")
    li.phone = "13800138000"
    db.session.commit()
    assert titles(owner.get("/admin/pick/members?q=王", headers=JSON)) == [f"#{wang.id} 王小明"]
    answer = owner.get("/admin/pick/members?q=138001", headers=JSON).get_json()
    assert answer["items"] == [{"id": li.id, "title": f"#{li.id} 李四", "subtitle": "13800138000", "image": ""}]
    assert f"#{wang.id} 王小明" in titles(owner.get(f"/admin/pick/members?q={wang.id}", headers=JSON))
    assert titles(owner.get("/admin/pick/members?q=小明", headers=JSON)) == []  # the start, never the middle


def test_a_long_list_comes_a_page_at_a_time_through_its_cursor(app, owner):
    made = [factories.shopper(f"会员{number:02d}") for number in range(25)]
    first = owner.get("/admin/pick/members?q=会员", headers=JSON).get_json()
    assert len(first["items"]) == 20 and first["next_cursor"]
    second = owner.get(f"/admin/pick/members?q=会员&cursor={first['next_cursor']}", headers=JSON).get_json()
    shown = [item["id"] for item in first["items"] + second["items"]]
    assert shown == sorted((user.id for user in made), reverse=True) and second["next_cursor"] is None
    bad = owner.get("/admin/pick/members?cursor=not-ours", headers=JSON)
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "invalid_cursor"


def test_agents_show_their_invite_code_and_status(app, owner):
    found = agent("推广达人")
    factories.shopper("推广新手")  # a member, not an agent
    code = db.session.query(Agent).filter_by(user_id=found.id).one()
    answer = owner.get("/admin/pick/agents?q=推广", headers=JSON).get_json()
    assert answer["items"] == [{"id": found.id, "title": f"#{found.id} 推广达人",
                                "subtitle": f"{code.invite_code} · 启用", "image": ""}]
    assert titles(owner.get(f"/admin/pick/agents?q={code.invite_code}", headers=JSON)) == [f"#{found.id} 推广达人"]


def test_products_their_skus_and_categories(app, owner):
    fruit = factories.category("水果")
    apple = factories.product(fruit, "红富士苹果", price_fen=2990)
    factories.product(fruit, "香蕉", price_fen=990)
    answer = owner.get("/admin/pick/products?q=苹果", headers=JSON).get_json()
    assert answer["items"] == [{"id": apple.id, "title": "红富士苹果", "subtitle": "¥29.90 起 · 已上架",
                                "image": apple.cover_url}]
    assert titles(owner.get(f"/admin/pick/products?category_id={fruit.id}", headers=JSON)) == ["香蕉", "红富士苹果"]
    skus = owner.get(f"/admin/pick/products/{apple.id}/skus", headers=JSON).get_json()["items"]
    assert [sku["id"] for sku in skus] == [sku.id for sku in apple.skus] and "¥29.90" in skus[0]["subtitle"]
    assert owner.get("/admin/pick/products/999999/skus", headers=JSON).status_code == 404
    factories.category("苹果", parent=fruit)
    assert titles(owner.get("/admin/pick/categories", headers=JSON)) == ["水果", "水果 / 苹果"]


def test_a_picker_needs_the_role_of_its_page(app):
    finance = console_as(app, "finance")  # orders, distribution, finance, reports
    for path in ("/admin/pick/members", "/admin/pick/products", "/admin/pick/categories",
                 "/admin/pick/wechat-materials", "/admin/pick/wechat-articles"):
        answer = finance.get(path, headers=JSON)
        assert answer.status_code == 403 and answer.get_json()["error"]["code"], path
    assert finance.get("/admin/pick/agents", headers=JSON).status_code == 200
    anonymous = app.test_client().get("/admin/pick/agents", headers=JSON)
    assert anonymous.status_code in (302, 401)


def test_appointing_takes_a_picked_member_and_the_ledger_filters_by_a_picked_agent(app, owner):
    member = factories.shopper("待任命")
    page = owner.get("/admin/distribution/agents").get_data(as_text=True)
    assert 'data-pick-field="user_id"' in page and 'placeholder="会员 ID"' not in page
    answer = post(owner, "/admin/distribution/agents/appoint", {"user_id": str(member.id)})
    assert answer.status_code == 302
    assert db.session.query(Agent).filter_by(user_id=member.id).count() == 1
    nothing = post(owner, "/admin/distribution/agents/appoint", {"user_id": ""})
    assert nothing.status_code == 302
    assert "请先选择会员" in owner.get(nothing.headers["Location"]).get_data(as_text=True)
    ledger = owner.get(f"/admin/distribution/entries?user_id={member.id}").get_data(as_text=True)
    assert f"#{member.id} 待任命" in ledger and 'data-pick-field="user_id"' in ledger


@pytest.fixture
def live_owner(live_app):
    """The owner on the live server, whose WeChat calls reach the sandbox over HTTP."""
    return console_as(live_app)


def test_the_material_picker_lists_the_official_accounts_materials_type_after_type(live_app, live_owner):
    owner = live_owner
    # the sandbox answers material/batchget_material one type at a time, as WeChat does
    pages, cursor = [], None
    while True:
        answer = owner.get("/admin/pick/wechat-materials" + (f"?cursor={cursor}" if cursor else ""), headers=JSON)
        assert answer.status_code == 200, answer.get_data(as_text=True)
        pages.append(answer.get_json()["items"])
        cursor = answer.get_json()["next_cursor"]
        if not cursor:
            break
    items = [item for page in pages for item in page]
    assert items[0] == {"id": "sandbox_news_0000", "title": "双十二会员日：全场满199减30",
                        "subtitle": "图文素材 · 2026-11-28 08:53", "image": ""}
    assert [item["subtitle"].split(" · ")[0] for item in items] == ["图文素材"] * 3 + ["图片"] * 4 + ["视频", "语音"]
    assert "新品主图-保温杯.jpg" in [item["title"] for item in items]
    assert len({item["id"] for item in items}) == len(items) == 9


def test_the_article_picker_lists_the_published_articles(live_app, live_owner):
    answer = live_owner.get("/admin/pick/wechat-articles", headers=JSON).get_json()
    assert [item["title"] for item in answer["items"]] == [
        "店铺上新：秋季礼盒开售", "佣金规则更新说明", "会员等级与权益一览"]
    assert answer["items"][1]["id"] == "sandbox_article_0001" and answer["next_cursor"] is None


def test_an_image_reply_lists_only_the_image_materials(live_app, live_owner):
    answer = live_owner.get("/admin/pick/wechat-materials?type=image", headers=JSON).get_json()
    assert [item["title"] for item in answer["items"]] == [
        "店铺横幅-双十二.jpg", "新品主图-保温杯.jpg", "客服二维码.png", "分销海报底图.jpg"]
    assert answer["next_cursor"] is None
