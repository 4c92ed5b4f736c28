"""The official-account pages in a real browser: a keyword reply with its live preview, the menu
published to the sandbox, and the webhook answering the new keyword."""

from __future__ import annotations

import re

import requests
from playwright.sync_api import expect

from tests.admin_helpers import PASSWORD, make_staff


def _log_in(page) -> None:
    page.goto("/admin/login")
    page.get_by_label("用户名").fill("boss")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def test_keyword_reply_with_preview_and_a_published_menu(page, live_app, live_server, tmp_path):
    make_staff()
    _log_in(page)
    page.on("dialog", lambda dialog: dialog.accept())

    # a keyword rule 「优惠」→ text, the preview following what is typed
    page.get_by_role("link", name="自动回复").click()
    with page.expect_navigation():
        page.get_by_role("link", name="新增关键词规则").click()
    page.get_by_label("规则名称").fill("优惠活动")
    page.get_by_label("关键词 1").fill("优惠")
    page.locator("textarea[name='content.content']").fill("本周全场满100减20，点击菜单「优惠活动」查看详情")
    preview = page.locator("[data-reply-preview]")
    expect(preview.locator("[data-preview-context]")).to_have_text("优惠")
    expect(preview.locator("[data-preview-output] .wx-bubble")).to_have_text(re.compile("满100减20"))
    page.screenshot(path=str(tmp_path / "keyword-editor.png"), full_page=True)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已保存，粉丝从现在起收到新的回复。")).to_be_visible()
    rule_row = page.locator("#rules tbody tr", has_text="优惠活动")
    expect(rule_row.locator(".wx-bubble")).to_have_text(re.compile("满100减20"))  # the server-rendered preview

    # the menu: one button, saved and published to the sandbox
    with page.expect_navigation():  # wait for the load event: the editor's script has run
        page.get_by_role("link", name="自定义菜单").click()
    page.get_by_role("button", name="添加一级菜单").click()
    page.get_by_label("菜单名称").fill("优惠活动")
    page.get_by_label("菜单 KEY").fill("PROMO")
    expect(page.locator("[data-menu-preview]")).to_contain_text("优惠活动")
    page.get_by_role("button", name="保存并发布").click()
    expect(page.get_by_text(re.compile("已发布到微信"))).to_be_visible()
    expect(page.locator("#menu-status")).to_contain_text("与微信上一致")
    published = live_server.sandbox.records["menus"][live_app.config["WECHAT_OA_APPID"]]
    assert published["button"] == [{"type": "click", "name": "优惠活动", "key": "PROMO", "sub_button": []}]
    page.screenshot(path=str(tmp_path / "menu-published.png"), full_page=True)

    # a fan sends the keyword through the sandbox: the real webhook answers with the new reply
    answer = requests.post(f"{live_server.url}/sandbox/simulate/oa/text",
                           json={"openid": "o_browser_fan", "content": "优惠"}, timeout=10).json()
    assert answer["reply"]["message"]["Content"].startswith("本周全场满100减20")
    assert page.console_errors == []


def test_a_reordered_menu_with_a_sub_menu_is_published_in_that_order(page, live_app, live_server):
    # given the menu editor, empty
    make_staff()
    _log_in(page)
    page.on("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.goto("/admin/wechat/menu")

    # when the merchant adds 优惠 (a click) and 我的 with a sub-menu 订单, moves 我的 up and
    # publishes
    page.get_by_role("button", name="添加一级菜单").click()
    page.get_by_label("菜单名称").fill("优惠")
    page.get_by_label("菜单 KEY").fill("PROMO")
    page.get_by_role("button", name="添加一级菜单").click()
    second = page.locator(".menu-top").nth(1)
    second.get_by_label("菜单名称").fill("我的")
    second.get_by_role("button", name="添加子菜单").click()
    second.get_by_label("子菜单名称").fill("订单")
    second.locator(".menu-sub").get_by_label("菜单 KEY").fill("ORDERS")
    second.get_by_role("button", name="上移").first.click()
    expect(page.locator(".menu-top > .card-header .menu-name").nth(0)).to_have_value("我的")
    expect(page.locator("[data-menu-preview] .wx-menubar-name")).to_have_text(["我的", "优惠"])
    page.get_by_role("button", name="保存并发布").click()
    expect(page.get_by_text(re.compile("已发布到微信"))).to_be_visible()

    # then WeChat has that order, and so has the editor after a reload
    published = live_server.sandbox.records["menus"][live_app.config["WECHAT_OA_APPID"]]
    assert [button["name"] for button in published["button"]] == ["我的", "优惠"]
    orders = {"type": "click", "name": "订单", "key": "ORDERS", "sub_button": []}
    assert published["button"][0]["sub_button"] == [orders]
    with page.expect_navigation():
        page.reload()
    expect(page.locator(".menu-top > .card-header .menu-name").nth(0)).to_have_value("我的")
    expect(page.locator(".menu-top > .card-header .menu-name").nth(1)).to_have_value("优惠")
    expect(page.locator(".menu-top").nth(0).locator(".menu-sub .menu-name")).to_have_value("订单")
    expect(page.locator("[data-menu-preview] .wx-menubar-name")).to_have_text(["我的", "优惠"])
    assert page.console_errors == []


def test_a_mini_program_button_takes_its_page_from_the_link_picker(page, live_app, live_server):
    # given the menu editor and a product on sale
    from tests import factories

    apple = factories.product(factories.category("水果"), "红富士苹果")
    make_staff()
    _log_in(page)
    page.on("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.goto("/admin/wechat/menu")
    page.get_by_role("button", name="添加一级菜单").click()
    page.get_by_label("菜单名称").fill("苹果")
    page.get_by_label("菜单动作").select_option("miniprogram")

    # when the merchant picks the product in the link picker rather than typing its path
    page.get_by_role("button", name="选择页面").click()
    dialog = page.locator("#picker-dialog")
    expect(dialog.get_by_role("tab")).to_have_text(["商品", "分类", "商城页面", "小程序路径"])
    dialog.get_by_role("button", name="红富士苹果").click()
    expect(dialog).to_be_hidden()

    # then the button opens the product's page in the shop's own mini-program, and is published so
    expect(page.get_by_label("小程序页面路径")).to_have_value(f"pages/product/index?id={apple.id}")
    expect(page.get_by_label("小程序 AppID")).to_have_value(live_app.config["WECHAT_MP_APPID"])
    page.get_by_label("备用网页（旧版微信打开）").fill("https://example.com/apple")
    page.get_by_role("button", name="保存并发布").click()
    expect(page.get_by_text(re.compile("已发布到微信"))).to_be_visible()
    published = live_server.sandbox.records["menus"][live_app.config["WECHAT_OA_APPID"]]
    assert published["button"][0]["pagepath"] == f"pages/product/index?id={apple.id}"
    assert page.console_errors == []


def test_material_and_article_buttons_take_their_ids_from_the_official_accounts_lists(page, live_app, live_server):
    # given the menu editor with two buttons: one sends a material, one a published article
    make_staff()
    _log_in(page)
    page.on("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.goto("/admin/wechat/menu")
    page.get_by_role("button", name="添加一级菜单").click()
    page.get_by_label("菜单名称").fill("会员日")
    page.get_by_label("菜单动作").select_option("media_id")
    dialog = page.locator("#picker-dialog")

    # when the merchant picks the material from what WeChat lists, a type at a time
    page.get_by_role("button", name="选择素材").click()
    expect(dialog.get_by_role("heading", name="选择公众号素材")).to_be_visible()
    expect(dialog.locator(".picker-items button")).to_have_count(3)  # the article materials first
    dialog.get_by_role("button", name="更多").click()
    expect(dialog.get_by_role("button", name=re.compile("新品主图-保温杯.jpg"))).to_be_visible()
    dialog.get_by_role("button", name=re.compile("双十二会员日")).click()
    expect(dialog).to_be_hidden()
    expect(page.locator("input[name='buttons.0.media_id']")).to_have_value("sandbox_news_0000")
    expect(page.locator("#menu-form").get_by_text("双十二会员日：全场满199减30")).to_be_visible()

    # and the second button's published article
    page.get_by_role("button", name="添加一级菜单").click()
    second = page.locator(".menu-top").nth(1)
    second.get_by_label("菜单名称").fill("佣金规则")
    second.get_by_label("菜单动作").select_option("article_id")
    second.get_by_role("button", name="选择文章").click()
    expect(dialog.get_by_role("heading", name="选择已发表的文章")).to_be_visible()
    dialog.get_by_role("button", name=re.compile("佣金规则更新说明")).click()
    expect(second.locator("input[name='buttons.1.article_id']")).to_have_value("sandbox_article_0001")

    # then the menu is saved and published with the picked ids
    page.get_by_role("button", name="保存并发布").click()
    expect(page.get_by_text(re.compile("已发布到微信"))).to_be_visible()
    published = live_server.sandbox.records["menus"][live_app.config["WECHAT_OA_APPID"]]
    assert [(button["type"], button.get("media_id") or button.get("article_id")) for button in published["button"]] \
        == [("media_id", "sandbox_news_0000"), ("article_id", "sandbox_article_0001")]
    from app.extensions import db
    from app.officialaccount import menus

    db.session.rollback()
    assert [button.get("media_id") or button.get("article_id") for button in menus.get_menu().buttons] \
        == ["sandbox_news_0000", "sandbox_article_0001"]
    assert page.console_errors == []


def test_an_image_reply_takes_its_picture_from_the_official_accounts_materials(page, live_app, live_server):
    from sqlalchemy import select

    from app.extensions import db
    from app.officialaccount.models import KeywordRule

    make_staff()
    _log_in(page)
    with page.expect_navigation():
        page.goto("/admin/wechat/replies/keywords/new")
    page.get_by_label("规则名称").fill("客服")
    page.get_by_label("关键词 1").fill("客服")
    page.locator("label[for='kind-image']").click()
    # when the merchant picks the picture among the account's image materials
    page.locator("[data-kind-panel='image']").get_by_role("button", name="选择素材").click()
    dialog = page.locator("#picker-dialog")
    expect(dialog.locator(".picker-items button")).to_have_count(4)
    dialog.get_by_role("button", name=re.compile("客服二维码.png")).click()
    expect(dialog).to_be_hidden()
    # then the rule replies with that material
    expect(page.locator("input[name='content.media_id']")).to_have_value("sandbox_image_0002")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已保存，粉丝从现在起收到新的回复。")).to_be_visible()
    db.session.rollback()
    rule = db.session.scalar(select(KeywordRule).where(KeywordRule.name == "客服"))
    assert (rule.kind, rule.content) == ("image", {"media_id": "sandbox_image_0002"})
    assert page.console_errors == []


def _drag_onto_top_of(page, grip, target) -> None:
    """Press on the grip, move in small steps onto the target's top edge, release: what a hand
    does, and what Sortable needs to see to place the dragged card first."""
    page.wait_for_timeout(300)  # the list has settled (a loaded machine draws it late)
    start, end = grip.bounding_box(), target.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.wait_for_timeout(100)
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2 - 10, steps=8)
    page.wait_for_timeout(100)
    page.mouse.move(end["x"] + 40, end["y"] + 10, steps=30)
    page.wait_for_timeout(500)  # Sortable's animation, slow on a loaded machine
    page.mouse.move(end["x"] + 40, end["y"] + 5, steps=5)
    page.wait_for_timeout(200)
    page.mouse.up()


def test_menus_are_reordered_by_dragging_their_grip(page, live_app, live_server):
    from app.extensions import db
    from app.officialaccount import menus

    # given three menus, 优惠 · 商城 · 我的
    make_staff()
    _log_in(page)
    with page.expect_navigation():
        page.goto("/admin/wechat/menu")
    for index, (name, key) in enumerate((("优惠", "PROMO"), ("商城", "SHOP"), ("我的", "MINE"))):
        page.get_by_role("button", name="添加一级菜单").click()
        card = page.locator(".menu-top").nth(index)
        card.get_by_label("菜单名称").fill(name)
        card.get_by_label("菜单 KEY").fill(key)
    names = page.locator(".menu-top > .card-header .menu-name")
    expect(names).to_have_count(3)
    # when the merchant drags 我的 by its grip above 优惠
    cards = page.locator(".menu-top")
    _drag_onto_top_of(page, cards.nth(2).locator(".menu-grip-top"), cards.nth(0))
    # then the editor, its phone preview and the saved menu all have 我的 first, fields intact
    expect(names.nth(0)).to_have_value("我的")
    expect(names.nth(1)).to_have_value("优惠")
    expect(names.nth(2)).to_have_value("商城")
    expect(page.locator("[data-menu-preview] .wx-menubar-name")).to_have_text(["我的", "优惠", "商城"])
    expect(page.locator(".menu-top").nth(0).get_by_label("菜单 KEY")).to_have_value("MINE")
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("已保存")
    db.session.rollback()
    assert [(button["name"], button["key"]) for button in menus.get_menu().buttons] == [
        ("我的", "MINE"), ("优惠", "PROMO"), ("商城", "SHOP")]
    assert page.console_errors == []


def test_sub_menus_are_reordered_by_dragging_within_their_menu(page, live_app, live_server):
    from app.extensions import db
    from app.officialaccount import menus

    # given 我的 with the sub-menus 订单 · 佣金 · 客服
    make_staff()
    _log_in(page)
    with page.expect_navigation():
        page.goto("/admin/wechat/menu")
    page.get_by_role("button", name="添加一级菜单").click()
    page.get_by_label("菜单名称").fill("我的")
    for index, (name, key) in enumerate((("订单", "ORDERS"), ("佣金", "COMMISSION"), ("客服", "SERVICE"))):
        page.get_by_role("button", name="添加子菜单").click()
        sub = page.locator(".menu-sub").nth(index)
        sub.get_by_label("子菜单名称").fill(name)
        sub.get_by_label("菜单 KEY").fill(key)
    subs = page.locator(".menu-sub")
    # when the merchant drags 客服 by its grip above 订单
    _drag_onto_top_of(page, subs.nth(2).locator(".menu-grip-sub"), subs.nth(0))
    # then the sub-menus have that order, with their keys, and are saved so
    expect(subs.nth(0).locator(".menu-name")).to_have_value("客服")
    expect(subs.nth(1).locator(".menu-name")).to_have_value("订单")
    expect(subs.nth(0).get_by_label("菜单 KEY")).to_have_value("SERVICE")
    expect(page.locator(".menu-top")).to_have_count(1)
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("已保存")
    db.session.rollback()
    assert [sub["key"] for sub in menus.get_menu().buttons[0]["sub_button"]] == ["SERVICE", "ORDERS", "COMMISSION"]
    assert page.console_errors == []
