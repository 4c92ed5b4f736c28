"""The official-account menu: validated against WeChat's limits, published, read back."""

from __future__ import annotations

import json

import pytest
import requests

from app.core.errors import ValidationError
from app.extensions import db
from app.officialaccount import menus
from app.wechat.clients import oa_client


def click(name: str = "今日推荐", key: str = "TODAY") -> dict:
    return {"type": "click", "name": name, "key": key}


def view(name: str = "商城", url: str = "https://shop.example/") -> dict:
    return {"type": "view", "name": name, "url": url}


def group(name: str, *subs: dict) -> dict:
    return {"name": name, "sub_button": list(subs)}


GOOD_MENU = [
    click(),
    group("我的", view("我的订单"), {"type": "scancode_push", "name": "扫一扫", "key": "SCAN"},
          {"type": "miniprogram", "name": "小程序", "url": "https://shop.example/", "appid": "wx1234567890abcdef",
           "pagepath": "pages/index/index"}),
    {"type": "scancode_waitmsg", "name": "扫码提示", "key": "SCAN_WAIT"},
]


def fields_of(buttons) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        menus.validate_buttons(buttons)
    return caught.value.fields


@pytest.mark.parametrize(("buttons", "path"), [
    ([], "buttons"),
    ([click(), click(), click(), click()], "buttons"),
    ([click(name="")], "buttons.0.name"),
    ([click(name="一二三四五六")], "buttons.0.name"),  # 18 bytes > 16
    ([click(), group("更多", *[click(key=f"K{i}") for i in range(6)])], "buttons.1.sub_button"),
    ([click(), group("更多", click(), click(), click(), click(name="子" * 21))], "buttons.1.sub_button.3.name"),
    ([{"type": "teleport", "name": "传送"}], "buttons.0.type"),
    ([{"name": "无类型"}], "buttons.0.type"),
    ([click(key="")], "buttons.0.key"),
    ([click(key="k" * 129)], "buttons.0.key"),
    ([view(url="ftp://shop.example/")], "buttons.0.url"),
    ([view(url="https://shop.example/" + "a" * 1010)], "buttons.0.url"),
    ([group("更多", view(url="shop.example"))], "buttons.0.sub_button.0.url"),
    ([{"type": "miniprogram", "name": "小程序", "url": "https://shop.example/", "appid": "wx1"}],
     "buttons.0.pagepath"),
    ([{"type": "media_id", "name": "图片"}], "buttons.0.media_id"),
    ([{**group("更多", click()), "type": "click", "key": "K"}], "buttons.0.type"),
    ([group("更多", group("再多", click()))], "buttons.0.sub_button.0.sub_button"),
    (["not a button"], "buttons.0"),
])
def test_each_problem_is_named_by_its_place_in_the_menu(buttons, path):
    assert path in fields_of(buttons)


def test_every_problem_is_reported_at_once():
    fields = fields_of([click(name=""), group("更多", click(key=""), view(url="nope"))])
    assert set(fields) == {"buttons.0.name", "buttons.1.sub_button.0.key", "buttons.1.sub_button.1.url"}


def test_names_are_measured_in_bytes_like_wechat_does():
    assert menus.validate_buttons([click(name="一二三四五")])  # 15 bytes fits in 16
    assert menus.validate_buttons([group("更多", click(name="子" * 20))])  # 60 bytes fits a sub-button


def test_a_valid_menu_is_kept_in_wechats_shape():
    cleaned = menus.validate_buttons([{**click(), "extra": "dropped"}, group("更多", view())])
    assert cleaned == [click(), group("更多", view())]


def test_publish_sends_the_menu_and_keeps_what_wechat_reads_back(live_app, live_server):
    menus.save_menu(GOOD_MENU)
    db.session.commit()

    menu = menus.publish_menu()
    db.session.commit()

    assert live_server.sandbox.records["menus"][live_app.config["WECHAT_OA_APPID"]]["button"][0]["key"] == "TODAY"
    assert menu.buttons == GOOD_MENU
    assert menu.published_at is not None and menu.pulled_at is not None
    assert live_server.sandbox.calls["menu/get"] == 1


def test_a_rejected_token_is_refreshed_once_and_the_publish_succeeds(live_app, live_server):
    menus.save_menu(GOOD_MENU)
    oa_client().access_token  # noqa: B018  (a cached token that WeChat then revokes)
    live_server.sandbox.expire_token(live_app.config["WECHAT_OA_APPID"])

    menus.publish_menu()

    assert live_server.sandbox.calls["menu/create"] == 2  # 40001, then the retry with a new token
    assert live_server.sandbox.calls["stable_token"] == 2
    assert live_server.sandbox.records["menus"]


def test_pull_replaces_the_stored_menu_with_wechats(live_app, live_server):
    menus.save_menu([click()])
    token = oa_client().access_token
    menu_on_wechat = {"button": [view("官网"), group("活动", click("签到", "SIGN"))]}
    requests.post(f"{live_server.url}/sandbox/api/cgi-bin/menu/create?access_token={token}",
                  data=json.dumps(menu_on_wechat, ensure_ascii=False).encode(), timeout=5)

    menu = menus.pull_menu()

    assert menu.buttons == menu_on_wechat["button"]


def test_pull_with_no_menu_on_wechat_gives_an_empty_menu(live_app):
    menus.save_menu([click()])
    assert menus.pull_menu().buttons == []


@pytest.mark.parametrize(("menu", "errcode"), [
    ({"button": []}, 40016),
    ({"button": [click(), click(), click(), click()]}, 40016),
    ({"button": [click(name="一二三四五六")]}, 40018),
    ({"button": [{"type": "teleport", "name": "x"}]}, 40017),
    ({"button": [click(key="")]}, 40019),
    ({"button": [group("更多", *[click() for _ in range(6)])]}, 40023),
    ({"button": [group("更多", {"type": "teleport", "name": "x"})]}, 40024),
    ({"button": [group("更多", click(name="子" * 21))]}, 40025),
    ({"button": [group("更多", click(key="k" * 129))]}, 40026),
    ({"button": [group("更多", view(url=""))]}, 40027),
    ("not json at all", 47001),
])
def test_the_sandbox_rejects_bad_menus_with_wechats_errcodes(live_app, live_server, menu, errcode):
    token = oa_client().access_token
    body = menu if isinstance(menu, str) else json.dumps(menu, ensure_ascii=False)
    answer = requests.post(f"{live_server.url}/sandbox/api/cgi-bin/menu/create?access_token={token}",
                           data=body.encode(), timeout=5).json()
    assert answer["errcode"] == errcode


def test_the_sandbox_menu_apis_need_a_valid_token(live_server):
    answer = requests.get(f"{live_server.url}/sandbox/api/cgi-bin/menu/get?access_token=forged", timeout=5).json()
    assert answer["errcode"] == 40001


def test_cli_publishes_and_shows_the_menu(live_app, live_server):
    runner = live_app.test_cli_runner()
    assert runner.invoke(args=["seed", "demo"]).exit_code == 0

    published = runner.invoke(args=["wechat", "menu", "publish"])

    assert published.exit_code == 0, published.output
    assert "逛商城" in published.output
    shown = runner.invoke(args=["wechat", "menu", "show"])
    assert json.loads(shown.output)["button"][1]["name"] == "赚佣金"
    assert live_server.sandbox.calls["menu/create"] == 1


def test_cli_load_refuses_a_bad_menu_with_its_field_paths(live_app, tmp_path):
    path = tmp_path / "menu.json"
    path.write_text(json.dumps({"button": [click(name="一二三四五六")]}), encoding="utf-8")
    result = live_app.test_cli_runner().invoke(args=["wechat", "menu", "load", str(path)])
    assert result.exit_code != 0
    assert "buttons.0.name" in result.output
