"""The menu editor: WeChat's limits as field errors, save, publish to WeChat, load from WeChat."""

from __future__ import annotations

import json
import re

import pytest
import requests
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.core.china_time import to_beijing
from app.extensions import db
from app.officialaccount import menus
from app.wechat.clients import oa_client
from tests.admin_helpers import log_in, make_staff
from tests.wechat_console import field_errors, flatten, post_form

MENU = [
    {"type": "click", "name": "今日优惠", "key": "TODAY"},
    {"name": "我的", "sub_button": [
        {"type": "view", "name": "我的订单", "url": "https://shop.example/orders"},
        {"type": "miniprogram", "name": "商城", "url": "https://shop.example/", "appid": "wx1234567890abcdef",
         "pagepath": "pages/index/index"},
        {"type": "scancode_waitmsg", "name": "扫码查单", "key": "SCAN_ORDER"},
    ]},
]


def menu_form(buttons, action: str = "save") -> dict:
    return {**flatten(buttons, "buttons"), "action": action}


@pytest.fixture
def console(live_app, live_server):
    make_staff("boss", role="owner")
    client = live_app.test_client()
    log_in(client, "boss")
    return client


def wechat_menu(live_app, live_server) -> dict | None:
    return live_server.sandbox.records["menus"].get(live_app.config["WECHAT_OA_APPID"])


def audit_actions() -> list[str]:
    return [entry.action for entry in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]


def test_saving_keeps_the_menu_without_publishing_it(live_app, live_server, console):
    response = post_form(console, "/admin/wechat/menu", menu_form(MENU))

    assert response.status_code == 302
    assert menus.get_menu().buttons == MENU
    assert wechat_menu(live_app, live_server) is None
    html = console.get("/admin/wechat/menu").get_data(as_text=True)
    assert "尚未发布" in html or "Never published" in html
    entry = db.session.scalars(select(AuditEntry)).one()
    assert (entry.action, entry.before, entry.after) == ("menu.save", {"buttons": []}, {"buttons": MENU})


def test_a_fourth_top_level_menu_is_refused_on_the_menu_list(live_app, console):
    four = [*MENU, {"type": "click", "name": "三", "key": "K3"}, {"type": "click", "name": "四", "key": "K4"}]

    response = post_form(console, "/admin/wechat/menu", menu_form(four))

    assert response.status_code == 422
    errors = field_errors(response.get_data(as_text=True))
    assert "3" in errors["buttons"]
    assert menus.get_menu().buttons == []
    assert audit_actions() == []


@pytest.mark.parametrize(("change", "path"), [
    (lambda m: m[1]["sub_button"].append({"type": "click", "name": "子" * 21, "key": "LONG"}),
     "buttons.1.sub_button.3.name"),
    (lambda m: m[0].update(name="一二三四五六"), "buttons.0.name"),
    (lambda m: m[1]["sub_button"][0].update(url="ftp://shop.example/"), "buttons.1.sub_button.0.url"),
    (lambda m: m[1]["sub_button"][1].update(pagepath=""), "buttons.1.sub_button.1.pagepath"),
    (lambda m: m[0].update(key=""), "buttons.0.key"),
    (lambda m: m[1]["sub_button"].extend({"type": "click", "name": f"子{n}", "key": f"S{n}"} for n in range(3)),
     "buttons.1.sub_button"),
    (lambda m: m[0].update(type="teleport"), "buttons.0.type"),
])
def test_wechats_limits_are_field_errors_on_the_right_button(live_app, console, change, path):
    buttons = json.loads(json.dumps(MENU))
    change(buttons)

    response = post_form(console, "/admin/wechat/menu", menu_form(buttons))

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert path in field_errors(html)
    assert f'id="f-{path}"' in html or path.endswith("sub_button")  # the field is there, marked invalid


def test_the_editor_keeps_what_was_typed_after_an_error(live_app, console):
    buttons = json.loads(json.dumps(MENU))
    buttons[1]["sub_button"][0]["url"] = "not-a-url"
    html = post_form(console, "/admin/wechat/menu", menu_form(buttons)).get_data(as_text=True)
    assert 'name="buttons.1.sub_button.0.url"' in html and 'value="not-a-url"' in html
    assert 'name="buttons.1.sub_button.2.key"' in html and 'value="SCAN_ORDER"' in html


def test_save_and_publish_puts_the_menu_on_wechat(live_app, live_server, console):
    response = post_form(console, "/admin/wechat/menu", menu_form(MENU, action="publish"))

    assert response.status_code == 302
    published = wechat_menu(live_app, live_server)
    assert published["button"][0]["key"] == "TODAY"
    assert [b["name"] for b in published["button"][1]["sub_button"]] == ["我的订单", "商城", "扫码查单"]
    token = oa_client().access_token  # read back as WeChat serves it
    answer = requests.get(f"{live_server.url}/sandbox/api/cgi-bin/menu/get?access_token={token}", timeout=5).json()
    assert menus.from_wechat(answer["menu"]["button"]) == MENU
    db.session.expire_all()
    menu = menus.get_menu()
    assert menu.published_at is not None and not menus.has_unpublished_changes(menu)
    assert audit_actions() == ["menu.save", "menu.publish"]
    html = console.get("/admin/wechat/menu").get_data(as_text=True)
    published_day = to_beijing(menu.published_at).strftime("%Y-%m-%d")  # the page shows Beijing time
    assert ("与微信上一致" in html or "Same as on WeChat" in html) and published_day in html


def test_a_saved_change_shows_as_not_yet_published(live_app, live_server, console):
    post_form(console, "/admin/wechat/menu", menu_form(MENU, action="publish"))
    changed = json.loads(json.dumps(MENU))
    changed[0]["name"] = "本周优惠"
    post_form(console, "/admin/wechat/menu", menu_form(changed))

    html = console.get("/admin/wechat/menu").get_data(as_text=True)
    assert "有未发布的修改" in html or "Changes not yet published" in html
    assert wechat_menu(live_app, live_server)["button"][0]["name"] == "今日优惠"

    post_form(console, "/admin/wechat/menu/publish", {})
    assert wechat_menu(live_app, live_server)["button"][0]["name"] == "本周优惠"


def test_load_from_wechat_replaces_the_menu_here(live_app, live_server, console):
    post_form(console, "/admin/wechat/menu", menu_form(MENU))
    token = oa_client().access_token
    on_wechat = {"button": [{"type": "view", "name": "官网", "url": "https://brand.example/"}]}
    requests.post(f"{live_server.url}/sandbox/api/cgi-bin/menu/create?access_token={token}",
                  data=json.dumps(on_wechat, ensure_ascii=False).encode(), timeout=5)

    response = post_form(console, "/admin/wechat/menu/pull", {})

    assert response.status_code == 302
    db.session.expire_all()
    menu = menus.get_menu()
    assert menu.buttons == on_wechat["button"] and menu.pulled_at is not None
    assert not menus.has_unpublished_changes(menu)
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "menu.pull")).one()
    assert entry.before == {"buttons": MENU} and entry.after == {"buttons": on_wechat["button"]}
    assert 'value="官网"' in console.get("/admin/wechat/menu").get_data(as_text=True)


def test_a_publish_wechat_refuses_is_reported_and_changes_nothing(live_app, live_server, console, monkeypatch):
    post_form(console, "/admin/wechat/menu", menu_form(MENU))
    monkeypatch.setattr("app.wechat.sandbox.oa_api.menu_problem", lambda body: (40018, "invalid button name size"))

    response = post_form(console, "/admin/wechat/menu/publish", {})

    assert response.status_code == 302
    html = console.get("/admin/wechat/menu").get_data(as_text=True)
    assert "40018" in html
    db.session.expire_all()
    assert menus.get_menu().published_at is None
    assert audit_actions() == ["menu.save"]


def test_the_preview_shows_the_menu_bar(live_app, console):
    post_form(console, "/admin/wechat/menu", menu_form(MENU))
    html = console.get("/admin/wechat/menu").get_data(as_text=True)
    bar = re.search(r'data-menu-preview>(.*?)</div>', html, re.S).group(1)
    assert "今日优惠" in bar and "我的" in bar and "wechat_menu.js" in html


def test_a_click_button_links_to_its_reply(live_app, console):
    post_form(console, "/admin/wechat/menu", menu_form(MENU))
    html = console.get("/admin/wechat/menu").get_data(as_text=True)
    assert "/admin/wechat/replies/click/new?key=TODAY" in html
