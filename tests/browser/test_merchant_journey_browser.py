"""The merchant's whole first session, in a real browser, as the issue describes it: log in,
create a keyword reply, publish a menu to the sandbox, send that keyword from the simulator
and see the reply, then adjust a member's balance."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from app.accounts.models import User
from app.extensions import db
from app.members.models import Wallet
from tests.admin_helpers import PASSWORD, make_staff


def test_merchant_journey_from_reply_to_balance(page, live_app, live_server):
    make_staff()
    shopper = User(nickname="王芳", phone="13800138000")
    db.session.add(shopper)
    db.session.commit()
    page.on("dialog", lambda dialog: dialog.accept())

    page.goto("/admin/login")
    page.get_by_label("用户名").fill("boss")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))

    # a keyword reply
    page.get_by_role("link", name="自动回复").click()
    with page.expect_navigation():
        page.get_by_role("link", name="新增关键词规则").click()
    page.get_by_label("规则名称").fill("双十一")
    page.get_by_label("关键词 1").fill("双十一")
    page.locator("textarea[name='content.content']").fill("双十一全场五折，下单即送积分")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已保存，粉丝从现在起收到新的回复。")).to_be_visible()

    # a menu, published to the (sandbox) WeChat
    with page.expect_navigation():  # wait for the load event: the editor's script has run
        page.get_by_role("link", name="自定义菜单").click()
    page.get_by_role("button", name="添加一级菜单").click()
    page.get_by_label("菜单名称").fill("双十一")
    page.get_by_label("菜单 KEY").fill("SALE_1111")
    page.get_by_role("button", name="保存并发布").click()
    expect(page.get_by_text(re.compile("已发布到微信"))).to_be_visible()
    published = live_server.sandbox.records["menus"][live_app.config["WECHAT_OA_APPID"]]
    assert [button["name"] for button in published["button"]] == ["双十一"]

    # the simulator: a fan sends the keyword and the webhook answers with the new reply
    page.get_by_role("link", name="微信模拟器").click()
    expect(page).to_have_url(re.compile(r"/admin/simulator/fan$"))
    page.wait_for_load_state()  # the page's script has run
    page.get_by_role("button", name="输入消息").click()
    page.get_by_label("消息", exact=True).fill("双十一")
    page.get_by_role("button", name="发送", exact=True).click()
    expect(page.locator(".from-oa .sim-bubble").last).to_contain_text("双十一全场五折")
    page.get_by_role("button", name="显示菜单").click()
    expect(page.get_by_role("button", name="双十一")).to_be_visible()  # the published menu bar

    # a member's balance
    page.get_by_role("link", name="会员").first.click()
    page.get_by_placeholder("会员 ID、昵称或手机号开头、openid").fill("王芳")
    page.get_by_role("button", name="搜索").click()
    page.get_by_role("link", name="王芳").click()
    balance = page.locator("form[action$='/balance']")
    balance.get_by_label("数额").fill("88.80")
    balance.get_by_label("原因").fill("双十一活动奖励")
    balance.get_by_role("button", name="确定").click()
    expect(page.locator("#balance")).to_have_text("¥88.80")
    expect(page.get_by_role("cell", name="双十一活动奖励")).to_be_visible()
    db.session.expire_all()
    assert db.session.get(Wallet, shopper.id).balance_fen == 8880
    assert page.console_errors == []
