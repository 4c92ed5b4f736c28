"""The picture picker in a real browser: the product gallery takes one picture from the library
and one uploaded from the dialog's upload tab, the merchant drags the second before the first,
saves, and the order (the first is the cover) is what the product keeps."""

from __future__ import annotations

import io
import re

from PIL import Image
from playwright.sync_api import expect

from app.audit.services import Actor
from app.catalog.models import Product
from app.extensions import db
from app.media import library
from tests import factories
from tests.admin_helpers import make_staff
from tests.browser.console_login import log_in


def _png(colour) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (120, 90), colour).save(out, "PNG")
    return out.getvalue()


def test_two_pictures_picked_and_reordered_are_the_products_gallery(page, live_app, tmp_path):
    # given a product without pictures and one picture in the library
    make_staff()
    product = factories.product(factories.category("水果"), "红富士苹果")
    [in_library] = library.upload(Actor(None), None, [("苹果-正面.png", _png((200, 20, 20)))])
    db.session.commit()
    upload = tmp_path / "苹果-侧面.png"
    upload.write_bytes(_png((20, 160, 20)))
    log_in(page, create=False)
    with page.expect_navigation():
        page.goto(f"/admin/products/{product.id}")

    # when the merchant opens the picker, picks the library picture, uploads another from the
    # upload tab (selected as it arrives) and uses both
    page.get_by_role("button", name="添加图片").click()
    dialog = page.locator("#media-picker")
    expect(dialog).to_be_visible()
    dialog.locator('.media-tile[data-name="苹果-正面"]').click()
    dialog.get_by_role("button", name="上传", exact=True).click()
    dialog.get_by_label("选择要上传的图片").set_input_files(str(upload))
    expect(dialog.get_by_text("已上传")).to_be_visible()
    expect(dialog.locator(".modal-footer")).to_contain_text("2 张已选")
    dialog.get_by_role("button", name="使用所选图片").click()
    expect(dialog).to_be_hidden()
    items = page.locator(".gallery-field .gallery-item")
    expect(items).to_have_count(2)
    first_url, second_url = items.nth(0).get_attribute("data-url"), items.nth(1).get_attribute("data-url")
    assert first_url == in_library.web_url and second_url.startswith("/media/library/")
    expect(items.nth(0).get_by_text("封面")).to_be_visible()

    # and drags the uploaded one before the first, and saves
    _drag_before(page, items.nth(1), items.nth(0))
    expect(items.nth(0)).to_have_attribute("data-url", second_url)
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()

    # then after the reload the order is kept, the uploaded picture is the cover
    expect(page.get_by_text("已保存")).to_be_visible()
    page.reload()
    expect(page.locator(".gallery-field .gallery-item")).to_have_count(2)
    expect(page.locator(".gallery-field .gallery-item").nth(0)).to_have_attribute("data-url", second_url)
    db.session.rollback()
    saved = db.session.get(Product, product.id)
    assert saved.image_urls == [second_url, first_url] and saved.cover_url == second_url
    assert page.console_errors == []


def _drag_before(page, source, target) -> None:
    """Press on the source, move in small steps onto the target's left edge, release: what a
    hand does, and what Sortable needs to see to place the source first."""
    expect(source.locator("img")).to_be_visible()
    expect(target.locator("img")).to_be_visible()
    page.wait_for_timeout(300)  # the list has settled (a loaded machine draws it late)
    start, end = source.bounding_box(), target.bounding_box()
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.wait_for_timeout(100)
    page.mouse.move(start["x"] + start["width"] / 2 - 10, start["y"] + start["height"] / 2, steps=8)
    page.wait_for_timeout(100)
    page.mouse.move(end["x"] + 8, end["y"] + end["height"] / 2, steps=30)
    page.wait_for_timeout(500)  # Sortable's animation, slow on a loaded machine
    page.mouse.move(end["x"] + 4, end["y"] + end["height"] / 2, steps=5)
    page.wait_for_timeout(200)
    page.mouse.up()


def test_pictures_dropped_on_the_library_page_appear_in_its_folder(page, live_app, tmp_path):
    # given a folder in the library
    make_staff()
    folder = library.save_folder(Actor(None), None, "主图")
    db.session.commit()
    files = []
    for name, colour in (("橙子.png", (240, 140, 0)), ("柠檬.png", (240, 230, 0))):
        (tmp_path / name).write_bytes(_png(colour))
        files.append(str(tmp_path / name))
    log_in(page, create=False)
    page.get_by_role("link", name="图片空间").click()
    page.get_by_role("link", name=re.compile("主图")).click()

    # when two pictures are chosen at once
    with page.expect_navigation():  # the page reloads once both have answered
        page.locator("main").get_by_label("选择要上传的图片").set_input_files(files)

    # then both are in the folder, unused, and the name search finds one by its start
    cards = page.locator(".media-card")
    expect(cards).to_have_count(2)
    expect(cards.first).to_contain_text("被 0 处使用")
    page.locator("main").get_by_label("按名称搜索图片").fill("柠")
    page.locator("main").get_by_role("button", name="搜索").click()
    expect(page.locator(".media-card")).to_have_count(1)
    expect(page.locator(".media-card")).to_have_attribute("data-name", "柠檬")
    assert page.url.endswith(f"folder={folder.id}&q=%E6%9F%A0")
    assert page.console_errors == []


def test_a_skus_picture_is_picked_from_the_library_not_typed(page, live_app):
    from app.catalog.models import Sku

    make_staff()
    product = factories.product(factories.category("水果"), "红富士苹果")
    [in_library] = library.upload(Actor(None), None, [("苹果-规格.png", _png((220, 120, 20)))])
    db.session.commit()
    log_in(page, create=False)
    with page.expect_navigation():
        page.goto(f"/admin/products/{product.id}")
    # no typed address anywhere in the SKU table: the picture cell is a button
    assert page.locator("table input.sku-image_url").count() == 0
    page.locator(".sku-picture").first.click()
    dialog = page.locator("#media-picker")
    expect(dialog).to_be_visible()
    dialog.locator('.media-tile[data-name="苹果-规格"]').click()
    dialog.get_by_role("button", name="使用所选图片").click()
    expect(dialog).to_be_hidden()
    expect(page.locator(".sku-picture").first).to_have_attribute("data-url", in_library.web_url)
    with page.expect_navigation():
        page.get_by_role("button", name="保存").first.click()
    expect(page.get_by_text("已保存")).to_be_visible()
    db.session.rollback()
    assert db.session.get(Sku, product.skus[0].id).image_url == in_library.web_url
    assert page.console_errors == []
