"""The product detail's rich-text editor in a real browser: type a heading and a bold line, save,
and both are stored and shown again after a reload."""

from __future__ import annotations

import re

from PIL import Image
from playwright.sync_api import expect

from app.catalog.models import Product
from app.extensions import db
from tests import factories
from tests.browser.console_login import log_in


def test_a_heading_and_a_bold_line_typed_in_the_editor_are_saved_and_shown_again(page, live_app):
    # given a product with no detail, open in the console
    product = factories.product(factories.category("茶叶"), "明前龙井")
    log_in(page)
    with page.expect_navigation():
        page.goto(f"/admin/products/{product.id}")
    editor = page.locator("[data-rich-text='detail_html'] [data-slate-editor]")

    # when the merchant types a heading (H2 from the toolbar's heading menu) and a bold line
    editor.click()
    page.locator("[data-rich-text='detail_html'] [data-menu-key='headerSelect']").click()
    page.get_by_text("H2").click()
    page.keyboard.type("产地直发")
    page.keyboard.press("Enter")
    page.keyboard.press("Control+b")
    page.keyboard.type("七天无理由退换")
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()

    # then the reloaded form's editor shows them, and the stored detail holds them
    expect(page.get_by_text("已保存")).to_be_visible()
    page.reload()
    expect(editor.locator("h2")).to_have_text("产地直发")
    expect(editor.locator("strong")).to_have_text("七天无理由退换")
    db.session.rollback()  # a fresh snapshot: the server committed in its own transaction
    stored = db.session.get(Product, product.id).detail_html
    assert "<h2>产地直发</h2>" in stored and "<strong>七天无理由退换</strong>" in stored
    assert page.console_errors == []


def test_the_picture_button_inserts_pictures_from_the_media_library(page, live_app, tmp_path):
    # given a product open in the console
    product = factories.product(factories.category("茶叶"), "龙井礼盒")
    picture = tmp_path / "茶园.png"
    Image.new("RGB", (40, 30), (60, 140, 80)).save(picture)
    log_in(page)
    with page.expect_navigation():
        page.goto(f"/admin/products/{product.id}")
    editor = page.locator("[data-rich-text='detail_html'] [data-slate-editor]")
    editor.click()
    page.keyboard.type("茶园实拍")

    # when the merchant uses the toolbar's picture button: the media library's picker opens,
    # and a picture uploaded in its upload tab is used
    picture_button = page.locator("[data-rich-text='detail_html'] [data-menu-key='uploadImage']")
    expect(picture_button).not_to_have_class(re.compile(r"\bdisabled\b"))  # the toolbar follows the caret
    picture_button.click()
    dialog = page.locator("#media-picker")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="上传", exact=True).click()
    dialog.get_by_label("选择要上传的图片").set_input_files(str(picture))
    expect(dialog.get_by_text("已上传")).to_be_visible()
    dialog.get_by_role("button", name="使用所选图片").click()
    expect(dialog).to_be_hidden()

    # then the library's picture is in the editor, and saved with the detail
    expect(editor.locator("img")).to_have_count(1)
    src = editor.locator("img").get_attribute("src")
    assert "/media/library/" in src and page.request.get(src).ok
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已保存")).to_be_visible()
    db.session.rollback()
    stored = db.session.get(Product, product.id).detail_html
    assert f'src="{src}"' in stored and "茶园实拍" in stored
    assert page.console_errors == []


# What Word puts on the clipboard for a heading, a bold line and a table (trimmed, as copied).
WORD_CLIPBOARD = (
    '<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><style>p.MsoNormal{mso-style-unhide:no}'
    '</style></head><body><!--StartFragment--><h2 style="mso-outline-level:2"><span lang="ZH-CN" '
    'style="font-family:宋体;mso-ascii-font-family:Calibri">产品介绍</span></h2><p class="MsoNormal" '
    'style="mso-margin-top-alt:auto"><b><span style="font-family:宋体">手工采摘</span></b><span lang="EN-US">'
    '<o:p></o:p></span></p><table class="MsoTableGrid" border="1"><tr><td style="mso-border-alt:solid windowtext .5pt">'
    '<p class="MsoNormal">净含量</p></td><td><p class="MsoNormal">250克</p></td></tr></table><!--EndFragment-->'
    '</body></html>'
)


def test_pasting_from_word_keeps_the_structure_and_drops_words_markup(page, live_app):
    # given a product open in the console
    product = factories.product(factories.category("茶叶"), "白茶")
    log_in(page)
    with page.expect_navigation():
        page.goto(f"/admin/products/{product.id}")
    editor = page.locator("[data-rich-text='detail_html'] [data-slate-editor]")

    # when the merchant pastes a passage copied from Word (put on the clipboard as Word puts it,
    # then a real Ctrl+V)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.evaluate("""html => {
        document.addEventListener('copy', (event) => {
            event.clipboardData.setData('text/html', html);
            event.clipboardData.setData('text/plain', '产品介绍 手工采摘 净含量 250克');
            event.preventDefault();
        }, { once: true });
        document.execCommand('copy');
    }""", WORD_CLIPBOARD)
    editor.click()
    page.keyboard.press("Control+V")
    expect(editor.locator("table td")).to_have_count(2)
    with page.expect_navigation():
        page.get_by_role("button", name="保存").click()

    # then the heading, the bold line and the table are stored, and nothing of Word's markup
    expect(page.get_by_text("已保存")).to_be_visible()
    db.session.rollback()
    stored = db.session.get(Product, product.id).detail_html
    assert re.search(r"<h2>(<span>)?产品介绍(</span>)?</h2>", stored) and "<strong>手工采摘</strong>" in stored
    assert "净含量</td>" in stored and "250克</td>" in stored
    for junk in ("mso", "Mso", "font-family", "o:p", "lang=", "<!--"):
        assert junk not in stored
    assert page.console_errors == []
