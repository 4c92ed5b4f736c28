"""The coupon console in a real browser: the merchant creates a coupon of each kind (one for
chosen products, picked by name), edits one, filters the list and reads its Chinese words,
sends a coupon to a member picked by name, saves the new-user pack, and drags the coupon
centre into order, which the shopper's centre then follows."""

from __future__ import annotations

import re

import requests
from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.marketing.coupon_models import Coupon, CouponTemplate
from app.marketing.coupon_settings import coupon_settings
from tests import factories
from tests.admin_helpers import make_staff
from tests.browser.console_login import log_in
from tests.coupon_helpers import template


def _new_coupon(page, name: str, kind_label: str, fields: dict[str, str]) -> None:
    page.goto("/admin/marketing/coupons/new")
    page.get_by_label("优惠券名称").fill(name)
    page.get_by_label(kind_label, exact=True).check()
    for label, value in fields.items():
        page.get_by_label(label, exact=True).fill(value)
    page.get_by_label("在领券中心展示").check()


def _save(page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已保存。")).to_be_visible()


def _list_names(page) -> list[str]:
    return page.locator("tbody tr td:first-child a").all_inner_texts()


def test_a_merchant_creates_each_kind_edits_one_and_filters_the_list(page, live_app):
    make_staff()
    tea = factories.product(factories.category("茶叶"), "明前龙井")
    factories.product(factories.category("茶具"), "紫砂壶")
    log_in(page, create=False)

    # 满减, for one product picked by name through the product picker
    _new_coupon(page, "龙井满199减20", "满减券", {"使用门槛：适用商品满（元，0为无门槛）": "199",
                                            "优惠金额（元）": "20"})
    page.get_by_label("适用范围").select_option(label="指定商品")
    page.get_by_role("button", name="选择商品").click()
    dialog = page.locator("#picker-dialog")
    dialog.get_by_role("textbox").fill("龙井")
    dialog.get_by_role("button", name="搜索").click()
    expect(dialog.locator(".picker-items button")).to_have_count(1)
    dialog.get_by_role("button", name="明前龙井").click()
    dialog.get_by_role("button", name="确定").click()
    expect(page.locator('[data-pick-field="product_ids"] .badge')).to_have_text(["明前龙井"])
    _save(page)
    expect(page.get_by_role("heading", name="龙井满199减20")).to_contain_text("满199减20")

    # 折扣, capped
    _new_coupon(page, "全场85折", "折扣券", {"折扣（如 8.5 表示八五折）": "8.5", "最多优惠（元，留空不封顶）": "30"})
    _save(page)
    expect(page.get_by_role("heading", name="全场85折")).to_contain_text("8.5折（最多减30）")

    # 无门槛
    _new_coupon(page, "无门槛5元", "无门槛券", {"优惠金额（元）": "5"})
    _save(page)
    expect(page.get_by_role("heading", name="无门槛5元")).to_contain_text("无门槛减5")

    db.session.rollback()  # a new transaction: MariaDB's repeatable read would show the old rows
    rows = {row.name: row for row in db.session.scalars(select(CouponTemplate))}
    assert (rows["龙井满199减20"].kind, rows["龙井满199减20"].scope, rows["龙井满199减20"].product_ids) == (
        "amount_off", "products", [tea.id])
    assert (rows["全场85折"].kind, rows["全场85折"].rate_bp, rows["全场85折"].cap_fen) == ("rate_off", 8500, 3000)
    assert (rows["无门槛5元"].kind, rows["无门槛5元"].amount_fen) == ("no_threshold", 500)

    # the merchant edits the discount: 9折, and switches it off
    page.goto("/admin/marketing/coupons")
    page.get_by_role("row", name=re.compile("全场85折")).get_by_role("link", name="编辑").click()
    expect(page.get_by_label("优惠券名称")).to_have_value("全场85折")
    expect(page.get_by_label("折扣（如 8.5 表示八五折）", exact=True)).to_have_value("8.5")
    page.get_by_label("优惠券名称").fill("全场9折")
    page.get_by_label("折扣（如 8.5 表示八五折）", exact=True).fill("9")
    page.get_by_label("启用", exact=True).uncheck()
    _save(page)
    expect(page.get_by_role("heading", name="全场9折")).to_contain_text("9折（最多减30）")

    # the list shows the three with Chinese words, and its filters narrow it
    page.goto("/admin/marketing/coupons")
    expect(page.locator("tbody tr")).to_have_count(3)
    discount_row = page.get_by_role("row", name=re.compile("全场9折"))
    expect(discount_row).to_contain_text("折扣券")
    expect(discount_row).to_contain_text("已禁用")
    expect(discount_row).to_contain_text("全店")
    tea_row = page.get_by_role("row", name=re.compile("龙井满199减20"))
    expect(tea_row).to_contain_text("满减券")
    expect(tea_row).to_contain_text("指定商品")
    expect(tea_row).to_contain_text("领券中心")
    expect(tea_row).to_contain_text("不限")
    expect(page.get_by_role("row", name=re.compile("无门槛5元"))).to_contain_text("无门槛券")
    page.get_by_label("类型").select_option(label="满减券")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    assert _list_names(page) == ["龙井满199减20"]
    page.get_by_label("类型").select_option(label="全部类型")
    page.get_by_label("状态").select_option(label="已禁用")
    page.get_by_role("button", name="筛选").click()
    expect(page.locator("tbody tr")).to_have_count(1)
    assert _list_names(page) == ["全场9折"]
    assert page.console_errors == []


def test_a_coupon_is_sent_to_a_member_picked_by_name_and_the_new_user_pack_saves(page, live_app):
    make_staff()
    five = template("no_threshold", amount_fen=500, name="无门槛5元", per_user_limit=1)
    gift = template("amount_off", amount_fen=2000, threshold_fen=19_900, name="满199减20")
    factories.shopper("陈大文")
    member = factories.shopper("陈小文")
    log_in(page, create=False)

    # the send form on the coupon's page: the member is searched for and clicked, never typed
    page.goto(f"/admin/marketing/coupons/{five.id}")
    expect(page.get_by_role("heading", name="发放给会员")).to_be_visible()
    page.get_by_role("button", name="选择会员").click()
    dialog = page.locator("#picker-dialog")
    dialog.get_by_role("textbox").fill("陈小")
    dialog.get_by_role("button", name="搜索").click()
    expect(dialog.locator(".picker-items button")).to_have_count(1)
    dialog.get_by_role("button", name=f"#{member.id} 陈小文").click()
    dialog.get_by_role("button", name="确定").click()
    expect(page.locator('[data-pick-field="user_ids"] .badge')).to_have_text([f"#{member.id} 陈小文"])
    with page.expect_navigation():
        page.get_by_role("button", name="发送", exact=True).click()
    expect(page.get_by_text("已发放1张，0人未发放（已达限领或已领完）。")).to_be_visible()
    holders = page.locator("tbody tr")
    expect(holders).to_have_count(1)
    expect(holders.first).to_contain_text("陈小文")
    expect(holders.first).to_contain_text("商家发放")
    expect(holders.first).to_contain_text("未使用")
    db.session.rollback()
    assert [(coupon.user_id, coupon.template_id) for coupon in db.session.scalars(select(Coupon))] == [
        (member.id, five.id)]

    # the new-user pack, from the coupon list's button
    page.goto("/admin/marketing/coupons")
    page.get_by_role("link", name="赠券与设置").click()
    page.get_by_label("无门槛5元 · 无门槛减5").check()
    page.get_by_label("满额赠券（订单完成时赠送）").select_option(label="满199减20 · 满199减20")
    page.get_by_label("订单实付满（元）").fill("299")
    _save(page)
    expect(page.get_by_label("无门槛5元 · 无门槛减5")).to_be_checked()
    expect(page.get_by_label("满199减20 · 满199减20", exact=True)).not_to_be_checked()
    expect(page.get_by_label("订单实付满（元）")).to_have_value("299.00")
    db.session.rollback()
    settings = coupon_settings()
    assert (settings.new_user_template_ids, settings.order_gift_template_id, settings.order_gift_threshold_fen) == (
        [five.id], gift.id, 29_900)
    assert page.console_errors == []


def _drag_before(page, source, target) -> None:
    """Drag `source` by its grip to just above `target` (the steps Sortable needs to see a drag)."""
    page.wait_for_timeout(300)  # the list has settled (a loaded machine draws it late)
    start, end = source.bounding_box(), target.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.wait_for_timeout(100)
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2 - 2, steps=8)
    page.wait_for_timeout(100)
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + 4, steps=30)
    page.wait_for_timeout(500)  # Sortable's animation, slow on a loaded machine
    page.mouse.move(end["x"] + end["width"] / 2, end["y"] + 2, steps=5)
    page.wait_for_timeout(200)
    page.mouse.up()


def _api_centre(live_server) -> list[str]:
    login = requests.post(f"{live_server.url}/api/v1/auth/dev-login", json={"name": "centre-shopper"},
                          timeout=10).json()
    answer = requests.get(f"{live_server.url}/api/v1/coupons/centre", timeout=10,
                          headers={"Authorization": f"Bearer {login['token']}"})
    assert answer.status_code == 200, answer.text
    return [item["title"] for item in answer.json()["items"]]


def test_the_merchant_drags_the_coupon_centre_into_order(page, live_app, live_server):
    make_staff()
    template("no_threshold", amount_fen=500, name="无门槛5元", in_centre=True, centre_sort=1)
    template("amount_off", amount_fen=2000, threshold_fen=19_900, name="满199减20", in_centre=True, centre_sort=2)
    template("rate_off", rate_bp=9000, name="全场9折", in_centre=True, centre_sort=3)
    template("no_threshold", amount_fen=300, name="不在领券中心")
    assert _api_centre(live_server) == ["无门槛5元", "满199减20", "全场9折"]
    log_in(page, create=False)

    # the page is reached from the coupon list, and shows the centre in the shopper's order
    page.goto("/admin/marketing/coupons")
    with page.expect_navigation():
        page.get_by_role("link", name="领券中心排序").first.click()
    expect(page.get_by_role("heading", name="领券中心排序")).to_be_visible()
    names = page.locator(".centre-row .centre-name")
    expect(names).to_have_text(["无门槛5元", "满199减20", "全场9折"])
    expect(page.locator(".centre-row").first).to_contain_text("无门槛券")

    # when the merchant drags 全场9折 to the top, and moves 满199减20 up with its arrow
    grips = page.locator(".centre-row .order-grip")
    _drag_before(page, grips.nth(2), page.locator(".centre-row").nth(0))
    expect(names).to_have_text(["全场9折", "无门槛5元", "满199减20"])
    expect(page.get_by_text("有未保存的修改")).to_be_visible()
    page.locator(".centre-row").nth(2).get_by_role("button", name="上移").click()
    expect(names).to_have_text(["全场9折", "满199减20", "无门槛5元"])
    expect(page.locator(".centre-row .badge")).to_have_text(["1", "2", "3"])
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()

    # then the order is saved, shown again after a reload, and the shopper's centre follows it
    expect(page.get_by_text("已保存，领券中心将按此顺序展示。")).to_be_visible()
    page.reload()
    expect(names).to_have_text(["全场9折", "满199减20", "无门槛5元"])
    assert _api_centre(live_server) == ["全场9折", "满199减20", "无门槛5元"]
    db.session.rollback()
    assert [row.centre_sort for row in db.session.scalars(
        select(CouponTemplate).where(CouponTemplate.in_centre.is_(True)).order_by(CouponTemplate.centre_sort))] == [
        10, 20, 30]
    assert page.console_errors == []
