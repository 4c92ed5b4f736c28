"""The console's look and its form and list conventions, in a real browser: the shop's theme
and brand colour, the staff member's own light/dark switch, the sticky save bar, the
unsaved-changes guard and the page size of a list."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from app.extensions import db
from app.shop.services import shop_settings
from tests import factories
from tests.browser.console_login import log_in

RED = "rgb(217, 48, 42)"  # theme.css, [data-brand=red]


def _background(page, selector: str) -> str:
    return page.locator(selector).first.evaluate("node => getComputedStyle(node).backgroundColor")


def test_the_shop_chooses_dark_and_red_and_every_page_shows_it_after_a_reload(page, live_app):
    log_in(page)
    light_body = _background(page, "body")
    # when the owner picks the dark look and the red brand colour in the shop settings
    page.goto("/admin/settings/shop")
    page.get_by_text("深色", exact=True).click()
    page.get_by_text("中国红").click()
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已保存。")).to_be_visible()
    # then the console turns dark, its buttons red, and stays so on reload and on other pages
    for path in ("/admin/settings/shop", "/admin/products"):
        page.goto(path)
        page.reload()
        page.mouse.move(0, 0)  # not hovering a button: its hover shade is darker
        expect(page.locator("html")).to_have_attribute("data-bs-theme", "dark")
        assert _background(page, "body") != light_body
        expect(page.locator("main .btn-primary").first).to_have_css("background-color", RED)
    db.session.expire_all()
    assert (shop_settings().theme_mode, shop_settings().brand_colour) == ("dark", "red")
    assert page.console_errors == []


def test_a_staff_member_switches_to_dark_for_themselves_and_it_persists(page, live_app):
    log_in(page)
    toggle = page.get_by_role("button", name="深色模式")
    expect(page.locator("html")).to_have_attribute("data-bs-theme", "light")
    # when they press the moon button
    toggle.click()
    # then this browser shows the console dark, after a reload and on the next page too
    expect(page.locator("html")).to_have_attribute("data-bs-theme", "dark")
    page.reload()
    expect(page.locator("html")).to_have_attribute("data-bs-theme", "dark")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    page.locator(".sidebar a[href='/admin/products']").click()
    expect(page.locator("html")).to_have_attribute("data-bs-theme", "dark")
    # while the shop's own setting is unchanged, and pressing again goes back to it
    db.session.expire_all()
    assert shop_settings().theme_mode == "light"
    toggle.click()
    page.reload()
    expect(page.locator("html")).to_have_attribute("data-bs-theme", "light")
    assert page.console_errors == []


def test_a_long_form_keeps_its_save_bar_in_sight(page, live_app):
    log_in(page)
    page.goto("/admin/distribution/settings")
    save_bar = page.locator("[data-save-bar]")
    # the form runs below the window, its save button stays at the window's bottom
    assert page.evaluate("document.documentElement.scrollHeight") > page.viewport_size["height"]
    expect(save_bar.get_by_role("button", name="保存")).to_be_in_viewport()
    box = save_bar.bounding_box()
    assert abs(box["y"] + box["height"] - page.viewport_size["height"]) < 2
    # and still there halfway down
    page.mouse.wheel(0, 600)
    expect(save_bar.get_by_role("button", name="保存")).to_be_in_viewport()


def test_leaving_an_edited_form_asks_first_and_saving_it_does_not(page, live_app):
    log_in(page)
    dialogs: list[str] = []

    def decline(dialog) -> None:
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", decline)
    page.goto("/admin/settings/shop")
    # an untouched form lets the merchant go
    page.locator(".sidebar a[href='/admin/products']").click()
    expect(page).to_have_url(re.compile(r"/admin/products$"))
    assert dialogs == []
    # when they edit it and then click away, the browser asks, and declining keeps them on it
    page.goto("/admin/settings/shop")
    page.get_by_label("客服电话").fill("400-800-1234")
    expect(page.get_by_text("有未保存的修改")).to_be_visible()
    page.locator(".sidebar a[href='/admin/products']").click()
    expect(page).to_have_url(re.compile(r"/admin/settings/shop$"))
    assert dialogs == ["beforeunload"]
    # when they save, nothing asks
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已保存。")).to_be_visible()
    assert dialogs == ["beforeunload"]
    db.session.expire_all()
    assert shop_settings().service_phone == "400-800-1234"


def test_a_short_form_has_the_same_save_bar_and_guard_as_the_long_ones(page, live_app):
    category = factories.category("水果")
    log_in(page)
    dialogs: list[str] = []

    def decline(dialog) -> None:
        dialogs.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", decline)
    page.goto(f"/admin/categories/{category.id}")
    save_bar = page.locator("form[data-dirty-guard] [data-save-bar]")
    expect(save_bar.get_by_role("button", name="保存")).to_be_in_viewport()
    expect(save_bar.get_by_text("有未保存的修改")).to_be_hidden()
    # when the merchant renames the category and clicks away, the browser asks first
    page.get_by_label("名称", exact=True).fill("时令水果")
    expect(save_bar.get_by_text("有未保存的修改")).to_be_visible()
    save_bar.get_by_role("link", name="取消").click()
    expect(page).to_have_url(re.compile(rf"/admin/categories/{category.id}$"))
    assert dialogs == ["beforeunload"]
    # and saving from the bar goes without asking
    save_bar.get_by_role("button", name="保存").click()
    expect(page).to_have_url(re.compile(r"/admin/categories$"))
    assert dialogs == ["beforeunload"]
    db.session.rollback()
    assert db.session.get(type(category), category.id).name == "时令水果"
    assert page.console_errors == []


def test_the_product_list_shows_the_page_size_chosen_through_its_pages(page, live_app):
    category = factories.category("页数分类")
    for index in range(55):
        factories.product(category, f"页数商品{index:02d}")
    log_in(page)
    page.goto("/admin/products")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(20)
    # when the merchant picks 50 a page, filtered to on-shelf products
    page.get_by_role("group", name="每页条数").get_by_role("link", name="50").click()
    expect(page).to_have_url(re.compile(r"size=50"))
    expect(rows).to_have_count(50)
    page.get_by_label("上下架").select_option("on")
    page.get_by_role("button", name="搜索").click()
    expect(page).to_have_url(re.compile(r"shelf=on.*size=50|size=50.*shelf=on"))
    expect(rows).to_have_count(50)
    # then the next page keeps both, and holds the other 5
    page.get_by_role("link", name="下一页").click()
    expect(page).to_have_url(re.compile(r"cursor="))
    expect(page).to_have_url(re.compile(r"size=50"))
    expect(rows).to_have_count(5)
    assert page.console_errors == []


def test_an_empty_product_list_offers_to_create_the_first_product(page, live_app):
    log_in(page)
    page.goto("/admin/products")
    empty = page.locator("tr.empty-state")
    expect(empty).to_contain_text("还没有商品")
    empty.get_by_role("link", name="新建商品").click()
    expect(page).to_have_url(re.compile(r"/admin/products/new$"))
    # a search that finds nothing offers to clear it instead
    page.goto("/admin/products?q=不存在的商品")
    expect(empty).to_contain_text("没有符合筛选条件的商品")
    empty.get_by_role("link", name="清除筛选条件").click()
    expect(page).to_have_url(re.compile(r"/admin/products$"))


def test_a_sortable_header_sorts_the_members_by_balance(page, live_app):
    log_in(page)
    page.goto("/admin/members")
    page.locator("th a.sort-link", has_text="余额").click()
    expect(page).to_have_url(re.compile(r"sort=balance"))
    expect(page.get_by_label("排序", exact=True)).to_have_value("balance")
