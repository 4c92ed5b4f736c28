"""The product detail as the console's editor writes it (tests/fixtures/product_detail.html):
stored with its structure and the editor's styles, without anything injected, and served to the
mini-program as tests/fixtures/product_detail.served.html, the document its page test renders."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from app.audit.services import SYSTEM
from app.catalog import manage
from app.catalog.models import Product
from app.catalog.richtext import for_rich_text, sanitise_detail
from app.extensions import db
from tests import factories
from tests.admin_helpers import log_in, make_staff

FIXTURES = Path(__file__).parent / "fixtures"
EDITOR_DOCUMENT = (FIXTURES / "product_detail.html").read_text(encoding="utf-8").strip()
SERVED_DOCUMENT = (FIXTURES / "product_detail.served.html").read_text(encoding="utf-8").strip()


class _Outline(HTMLParser):
    """Each element as (tag, its attributes) in document order, and the text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def tags(self) -> list[str]:
        return [tag for tag, _attrs in self.elements]

    def styles(self, tag: str) -> list[str | None]:
        return [attrs.get("style") for name, attrs in self.elements if name == tag]


def test_the_editors_document_keeps_its_structure_text_and_styles():
    # given the detail as wangEditor writes it; when it is sanitised
    kept = _Outline(sanitise_detail(EDITOR_DOCUMENT))
    # then every element and every word is still there, in order
    written = _Outline(EDITOR_DOCUMENT)
    assert kept.tags() == written.tags()
    assert "".join(kept.text) == "".join(written.text)
    # and the toolbar's alignment, indent, colour, size and picture widths survive
    assert kept.styles("h1") == ["text-align:center"]
    assert kept.styles("p")[0] == "text-align:center" and "text-indent:2em" in kept.styles("p")
    assert kept.styles("span") == ["color:rgb(225, 60, 57)", "font-size:12px"]
    assert kept.styles("img") == ["width:100%", "width:50%"]
    assert [attrs["src"] for tag, attrs in kept.elements if tag == "img"] == [
        "https://img.example.com/tea/leaf.jpg", "https://img.example.com/tea/cup.jpg"]
    assert kept.tags().count("th") == 2 and kept.tags().count("td") == 4


def test_scripts_handlers_javascript_urls_and_tricky_styles_are_dropped_from_the_document():
    # given the editor's document with things pasted or forged into it
    injected = (EDITOR_DOCUMENT
                .replace("<h2>", '<h2 onclick="steal()">', 1)
                .replace('alt="茶叶特写"', 'alt="茶叶特写" onerror="alert(1)"')
                .replace('style="width: 50%;"', 'style="width: 50%; position: fixed; background: url(https://evil/x)"')
                .replace('<span style="font-size: 12px;">',
                         '<span style="color: expression(alert(1)); font-size: 12px;">')
                + '<script>alert(1)</script><p><a href="javascript:alert(1)">领券</a></p>'
                + '<iframe src="https://evil.example/"></iframe><img src="data:image/png;base64,AAAA">')
    # when it is sanitised
    kept = sanitise_detail(injected)
    # then none of it is left, and the document is what the editor wrote
    for trace in ("script", "onclick", "onerror", "javascript:", "iframe", "position", "url(", "expression", "data:"):
        assert trace not in kept
    outline = _Outline(kept)
    assert outline.styles("img") == ["width:100%", "width:50%", None]
    assert outline.styles("span") == ["color:rgb(225, 60, 57)", "font-size:12px"]
    assert outline.tags()[:len(_Outline(EDITOR_DOCUMENT).tags())] == _Outline(EDITOR_DOCUMENT).tags()


def test_the_mini_program_gets_fitted_pictures_and_ruled_tables(client, app):
    # given a product whose detail the merchant saved from the editor
    item = factories.product(factories.category("茶叶"), "明前龙井")
    details = {key: getattr(item, key) for key in manage.DETAIL_FIELDS} | {"detail_html": EDITOR_DOCUMENT}
    manage.update_details(SYSTEM, item, details)
    db.session.commit()
    # when the mini-program asks for the product
    served = client.get(f"/api/v1/products/{item.id}").get_json()["detail_html"]
    # then it is the document the page test renders: pictures no wider than the screen (one
    # keeps the merchant's 50%), tables with rules; the stored detail keeps the editor's own styles
    assert served == SERVED_DOCUMENT
    outline = _Outline(served)
    assert outline.styles("img") == ["width:100%; max-width: 100%; height: auto; display: block;",
                                     "width:50%; max-width: 100%; height: auto; display: block;"]
    assert all("border: 1px solid" in style for style in outline.styles("td") + outline.styles("th"))
    assert db.session.get(Product, item.id).detail_html == sanitise_detail(EDITOR_DOCUMENT)


def test_a_picture_without_a_width_fills_the_screen_and_text_is_left_as_it_was():
    served = for_rich_text('<p>a &amp; b &lt;c&gt; &#21697;</p>'
                           '<img src="https://img.example.com/a.jpg" alt="x&quot;y">', "https://shop.example.com")
    assert served == ('<p>a &amp; b &lt;c&gt; &#21697;</p><img src="https://img.example.com/a.jpg" alt="x&quot;y" '
                      'style="max-width: 100%; height: auto; display: block; width: 100%;">')


def test_an_uploaded_picture_stored_as_a_path_is_served_at_the_shops_address(client, app):
    # given a detail whose picture the console uploaded (stored as /media/…)
    item = factories.product(factories.category("茶叶"), "明前龙井")
    details = {key: getattr(item, key) for key in manage.DETAIL_FIELDS} | {
        "detail_html": '<p><img src="/media/products/leaf.png" alt="茶叶" style="width: 100%;"/></p>'}
    manage.update_details(SYSTEM, item, details)
    db.session.commit()
    # when the mini-program asks for the product
    served = client.get(f"/api/v1/products/{item.id}").get_json()["detail_html"]
    # then rich-text gets a whole address it can load
    base = app.config["PUBLIC_BASE_URL"].rstrip("/")
    assert [attrs["src"] for tag, attrs in _Outline(served).elements if tag == "img"] == [
        f"{base}/media/products/leaf.png"]


def test_only_a_page_with_the_editor_lets_inline_styles_through(client, app):
    # given a logged-in merchant
    make_staff()
    log_in(client)
    item = factories.product(factories.category("茶叶"), "明前龙井")
    # when they open the product form (the editor) and the product list (no editor)
    with_editor = client.get(f"/admin/products/{item.id}").headers["Content-Security-Policy"]
    without = client.get("/admin/products").headers["Content-Security-Policy"]
    # then only the form allows style attributes, and neither allows inline scripts
    assert "style-src 'self' 'unsafe-inline'" in with_editor and "style-src 'self';" in without
    assert "script-src 'self';" in with_editor and "script-src 'self';" in without
