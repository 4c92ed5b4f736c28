"""The WeChat simulator in a real browser: a fan texts a keyword and taps the menu; WeChat Pay
pays a test payment. Everything goes through the sandbox to the live server's real endpoints."""

from __future__ import annotations

import os
import re

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.officialaccount import menus, replies
from app.officialaccount.seed import seed_official_account
from tests.admin_helpers import PASSWORD, make_staff


def _log_in(page) -> None:
    page.goto("/admin/login")
    page.get_by_label("用户名").fill("boss")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()


def _publish_demo_menu() -> None:
    menus.save_menu([
        {"name": "逛商城", "type": "view", "url": "https://shop.example.com/"},
        {"name": "赚佣金", "sub_button": [
            {"name": "成为分销员", "type": "miniprogram", "url": "https://shop.example.com/",
             "appid": "wxsandbox0b000002", "pagepath": "pages/agent/apply"},
            {"name": "佣金规则", "type": "click", "key": "COMMISSION_RULES"}]},
        {"name": "联系客服", "type": "click", "key": "CONTACT_US"},
    ])
    menus.publish_menu()
    replies.set_special_reply("click:COMMISSION_RULES", "text", {"content": "一级佣金 10%，二级佣金 5%。"})
    db.session.commit()


def test_a_fan_texts_a_keyword_and_taps_the_menu(page, live_app):
    make_staff()
    seed_official_account()
    _publish_demo_menu()
    _log_in(page)
    page.get_by_role("link", name="微信模拟器").click()
    expect(page).to_have_url(re.compile(r"/admin/simulator/fan$"))
    expect(page.get_by_role("button", name="赚佣金")).to_be_visible()

    page.get_by_role("button", name="输入消息").click()
    page.get_by_label("消息", exact=True).fill("菜单")
    page.get_by_role("button", name="发送", exact=True).click()
    expect(page.locator(".from-fan .sim-bubble").last).to_have_text("菜单")
    expect(page.locator(".from-oa .sim-bubble").last).to_contain_text("常用功能")
    expect(page.locator(".sim-time").first).to_have_text(re.compile(r"^\d\d:\d\d$"))

    page.get_by_role("button", name="显示菜单").click()
    page.get_by_role("button", name="赚佣金").click()
    page.get_by_role("button", name="佣金规则").click()
    expect(page.locator(".sim-system").last).to_contain_text("你点击了菜单「佣金规则」")
    expect(page.locator(".from-oa .sim-bubble").last).to_contain_text("一级佣金 10%")
    page.get_by_role("button", name="逛商城").click()
    expect(page.locator(".sim-system a").last).to_have_attribute("href", "https://shop.example.com/")

    page.reload()  # the conversation is kept in the tab
    expect(page.locator(".from-oa .sim-bubble").last).to_contain_text("一级佣金 10%")
    assert page.console_errors == []


@pytest.mark.console_errors_expected("status of 422")  # the refused scene's answer, which the page shows
def test_following_through_a_scene_and_a_refused_scene(page, live_app):
    make_staff()
    seed_official_account()
    db.session.commit()
    _log_in(page)
    page.goto("/admin/simulator/fan")
    page.get_by_label("识别方式").select_option("openid")
    page.get_by_label("粉丝", exact=True).fill("o_browser_fan")
    page.get_by_role("button", name="扮演此粉丝").click()
    page.get_by_label("分销员二维码场景值").fill("agent_1")
    page.get_by_role("button", name="扫此码关注").click()
    expect(page.locator(".from-oa .sim-bubble").last).to_contain_text("欢迎关注")
    page.get_by_label("分销员二维码场景值").fill("bad scene")
    page.get_by_role("button", name="已关注时扫码").click()
    expect(page.locator(".sim-system.is-error").last).to_contain_text("HTTP 422")
    assert not [error for error in page.console_errors if "Content Security Policy" in error]


def test_a_test_payment_is_created_and_marked_paid(page, live_app):
    make_staff()
    _log_in(page)
    page.goto("/admin/simulator")
    page.get_by_role("link", name="微信支付").click()
    expect(page).to_have_url(re.compile(r"/admin/simulator/pay$"))
    # the page's component fills its defaults when it starts: type only after it did
    expect(page.locator("#sim-payment-amount")).to_have_value("9.90")
    page.locator("#sim-payment-amount").fill("12.50")
    page.locator("#sim-test-payment").get_by_role("button", name="创建").click()
    row = page.locator("[data-rows='payments'] tr").first
    expect(row).to_contain_text("¥12.50")
    expect(row).to_contain_text("测试")
    expect(row).to_contain_text("未支付")
    row.get_by_role("button", name="标记已支付").click()
    expect(row).to_contain_text("已支付")
    expect(row).to_contain_text("应答 204")
    expect(page.locator("#sim-pay-message")).to_contain_text("微信支付已标记为支付成功")

    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="退款").click()
    refund = page.locator("[data-rows='refunds'] tr").first
    expect(refund).to_contain_text("处理中")
    refund.get_by_role("button", name="完成退款").click()
    expect(refund).to_contain_text("成功")
    expect(refund).to_contain_text("应答 204")
    assert page.console_errors == []


def _is_dark(page, selector: str, prop: str = "backgroundColor") -> bool:
    """The element's computed colour is dark (luminance under a third)."""
    return page.locator(selector).first.evaluate(
        """(node, prop) => { const [r, g, b] = getComputedStyle(node)[prop].match(/\\d+/g).map(Number);
                             return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255 < 0.33; }""", prop)


def _screenshot(page, name: str) -> None:
    """SIMULATOR_SCREENSHOTS=docs/screenshots keeps the pages as the README shows them."""
    if os.environ.get("SIMULATOR_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["SIMULATOR_SCREENSHOTS"], f"{name}.png"), full_page=True)


def test_the_simulator_follows_the_dark_theme(page, live_app):
    make_staff()
    seed_official_account()
    _publish_demo_menu()
    _log_in(page)
    page.goto("/admin/simulator/fan")
    page.get_by_role("button", name="输入消息").click()
    page.get_by_label("消息", exact=True).fill("菜单")
    page.get_by_role("button", name="发送", exact=True).click()
    expect(page.locator(".from-oa .sim-bubble").last).to_contain_text("常用功能")
    assert not _is_dark(page, ".sim-phone") and not _is_dark(page, ".from-oa .sim-bubble")
    _screenshot(page, "simulator_fan_light")
    # when the staff member switches the console to dark
    page.get_by_role("button", name="深色模式").click()
    expect(page.locator("html")).to_have_attribute("data-bs-theme", "dark")
    # then the phone is WeChat's dark mode: dark surfaces, light words on them
    for surface in (".sim-phone", ".sim-titlebar", ".from-oa .sim-bubble", ".sim-bottom", ".sim-input"):
        assert _is_dark(page, surface), surface
    assert not _is_dark(page, ".from-oa .sim-bubble", "color")
    assert not _is_dark(page, ".sim-titlebar", "color")
    _screenshot(page, "simulator_fan_dark")
    # and the pay side's cards, table heads and badges too
    page.goto("/admin/simulator/pay")
    # the page's component fills its defaults when it starts: type only after it did
    expect(page.locator("#sim-payment-amount")).to_have_value("9.90")
    page.locator("#sim-payment-amount").fill("8.80")
    page.locator("#sim-test-payment").get_by_role("button", name="创建").click()
    expect(page.locator("[data-rows='payments'] tr").first).to_contain_text("¥8.80")
    for surface in (".card-header", ".sim-pay-table thead th", "[data-count='payments']", ".card"):
        assert _is_dark(page, surface), surface
    assert not _is_dark(page, ".sim-pay-table thead th", "color")
    assert not _is_dark(page, "[data-rows='payments'] td", "color")
    _screenshot(page, "simulator_pay_dark")
    page.get_by_role("button", name="深色模式").click()  # and back
    expect(page.locator("html")).to_have_attribute("data-bs-theme", "light")
    assert not _is_dark(page, ".card-header")
    _screenshot(page, "simulator_pay_light")
    assert page.console_errors == []
