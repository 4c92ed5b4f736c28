"""The product editor in a real browser: add a spec value, batch-set the price, save, and the
new SKU is on the product (console and storefront)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from app.catalog.models import Product
from app.extensions import db
from tests import factories
from tests.admin_helpers import PASSWORD, make_staff


def test_adding_a_value_and_a_batch_price_makes_a_new_sku(page, live_app):
    make_staff()
    product = factories.product(factories.category("服装"), "纯棉T恤", skus=2, price_fen=1990)  # 规格: 款1, 款2
    page.goto("/admin/login")
    page.get_by_label("用户名").fill("boss")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))

    with page.expect_navigation():  # wait for the load event: the editor's script has run
        page.goto(f"/admin/products/{product.id}")
    expect(page.locator("#sku-table tbody tr")).to_have_count(2)
    page.get_by_label("新规格值 规格").fill("款3")
    page.get_by_role("button", name="添加规格值").click()
    expect(page.locator("#sku-table tbody tr")).to_have_count(3)
    expect(page.get_by_label("售价（元） 款1")).to_have_value("19.90")  # a surviving row keeps its values

    page.get_by_label("批量售价（元）").fill("25.80")
    page.get_by_label("批量库存").fill("12")
    page.get_by_role("button", name="应用到全部").click()
    expect(page.get_by_label("售价（元） 款3")).to_have_value("25.80")
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()

    expect(page.get_by_text("已保存")).to_be_visible()
    expect(page.locator("#sku-table tbody tr")).to_have_count(3)
    expect(page.get_by_label("售价（元） 款3")).to_have_value("25.80")
    shown = page.request.get(f"/api/v1/products/{product.id}").json()
    assert [(sku["specs"], sku["price_fen"], sku["stock"]) for sku in shown["skus"]][-1] == ({"规格": "款3"}, 2580, 12)
    db.session.rollback()  # a fresh snapshot: the server committed in its own transaction
    assert len(db.session.get(Product, product.id).skus) == 3
    assert page.console_errors == []


def test_values_typed_right_after_naming_a_spec_all_become_skus(page, live_app):
    # given a product with one spec (规格: 款1, 款2) open in the editor
    make_staff()
    product = factories.product(factories.category("服装"), "卫衣", skus=2, price_fen=5900)
    page.goto("/admin/login")
    page.get_by_label("用户名").fill("boss")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    with page.expect_navigation():
        page.goto(f"/admin/products/{product.id}")

    # when the merchant adds a spec, types its name, clicks straight into its value box and types
    # values with Enter after each; a value still in the box survives removing another spec's
    # value; one batch price, and save
    page.get_by_role("button", name=re.compile(r"添加规格$")).click()
    page.keyboard.type("颜色")
    page.get_by_label("新规格值 2").click()
    page.keyboard.type("红")
    page.keyboard.press("Enter")
    page.keyboard.type("蓝")
    page.keyboard.press("Enter")
    page.keyboard.type("黑")
    page.get_by_role("button", name="移除 款2").click()
    expect(page.get_by_label("新规格值 颜色")).to_have_value("黑")
    page.get_by_label("新规格值 颜色").press("Enter")
    expect(page.locator("#sku-table tbody tr")).to_have_count(3)
    page.get_by_label("批量售价（元）").fill("69.00")
    page.get_by_role("button", name="应用到全部").click()
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()

    # then every value typed is a spec value and every combination a SKU
    expect(page.get_by_text("已保存")).to_be_visible()
    expect(page.locator(".spec-value")).to_have_text(["款1", "红", "蓝", "黑"])
    expect(page.locator("#sku-table tbody tr")).to_have_count(3)
    shown = page.request.get(f"/api/v1/products/{product.id}").json()
    assert sorted((sku["specs"]["规格"], sku["specs"]["颜色"], sku["price_fen"]) for sku in shown["skus"]) == [
        ("款1", "红", 6900), ("款1", "蓝", 6900), ("款1", "黑", 6900)]
    assert page.console_errors == []


def test_adding_values_and_a_second_spec_keeps_every_typed_value_and_price(page, live_app):
    # given a product with one spec (规格: 款1) open in the editor
    make_staff()
    product = factories.product(factories.category("服装"), "帽子", skus=1, price_fen=1990)
    page.goto("/admin/login")
    page.get_by_label("用户名").fill("boss")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    with page.expect_navigation():
        page.goto(f"/admin/products/{product.id}")

    # when the merchant adds a second value, types both rows' prices, then adds a second spec
    # with two values
    page.get_by_label("新规格值 规格").fill("款2")
    page.get_by_role("button", name="添加规格值").click()
    page.get_by_label("售价（元） 款1").fill("18.00")
    page.get_by_label("售价（元） 款2").fill("22.00")
    page.get_by_role("button", name=re.compile(r"添加规格$")).click()
    page.keyboard.type("颜色")
    page.get_by_label("新规格值 2").click()
    page.keyboard.type("红")
    page.keyboard.press("Enter")
    page.keyboard.type("蓝")
    page.get_by_role("button", name="添加规格值").nth(1).click()

    # then no value typed is lost, the rows are every combination and each keeps its price
    expect(page.locator(".spec-name").nth(0)).to_have_value("规格")
    expect(page.locator(".spec-name").nth(1)).to_have_value("颜色")
    expect(page.locator(".spec-value")).to_have_text(["款1", "款2", "红", "蓝"])
    rows = page.locator("#sku-table tbody tr")
    expect(rows).to_have_count(4)
    expected = [("款1/红", "18.00"), ("款1/蓝", "18.00"), ("款2/红", "22.00"), ("款2/蓝", "22.00")]
    for index, (label, price) in enumerate(expected):
        expect(rows.nth(index)).to_have_attribute("data-sku", label)
        expect(page.get_by_label(f"售价（元） {label}")).to_have_value(price)
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已保存")).to_be_visible()
    shown = page.request.get(f"/api/v1/products/{product.id}").json()
    assert sorted((sku["specs"]["规格"], sku["specs"]["颜色"], sku["price_fen"]) for sku in shown["skus"]) == [
        ("款1", "红", 1800), ("款1", "蓝", 1800), ("款2", "红", 2200), ("款2", "蓝", 2200)]
    assert page.console_errors == []


def test_a_spec_value_dragged_first_orders_the_values_and_their_skus(page, live_app):
    make_staff()
    product = factories.product(factories.category("服装"), "纯棉T恤", skus=3, price_fen=1990)  # 款1, 款2, 款3
    page.goto("/admin/login")
    page.get_by_label("用户名").fill("boss")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    with page.expect_navigation():
        page.goto(f"/admin/products/{product.id}")
    values = page.locator(".spec-value")
    expect(values).to_have_text(["款1", "款2", "款3"])
    page.get_by_label("售价（元） 款3").fill("39.90")

    # when the merchant drags 款3 before 款1
    page.wait_for_timeout(300)  # the list has settled (a loaded machine draws it late)
    start, end = values.nth(2).bounding_box(), values.nth(0).bounding_box()
    page.mouse.move(start["x"] + 8, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.wait_for_timeout(100)
    page.mouse.move(start["x"] - 2, start["y"] + start["height"] / 2, steps=8)
    page.wait_for_timeout(100)
    page.mouse.move(end["x"] + 6, end["y"] + end["height"] / 2, steps=30)
    page.wait_for_timeout(500)  # Sortable's animation, slow on a loaded machine
    page.mouse.move(end["x"] + 3, end["y"] + end["height"] / 2, steps=5)
    page.wait_for_timeout(200)
    page.mouse.up()

    # then the values and the SKU rows follow, each row keeping what was typed in it, and so it is saved
    expect(values).to_have_text(["款3", "款1", "款2"])
    expect(page.locator("#sku-table tbody tr").first).to_contain_text("款3")
    expect(page.get_by_label("售价（元） 款3")).to_have_value("39.90")
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已保存")).to_be_visible()
    db.session.rollback()
    assert db.session.get(Product, product.id).spec_matrix == [{"name": "规格", "values": ["款3", "款1", "款2"]}]
    assert page.console_errors == []
