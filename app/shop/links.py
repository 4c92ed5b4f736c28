"""Typed links: where a tap in the shop leads — a product, a category, one of the
mini-program's pages, a mini-program path, or a web page. The merchant picks them in the
console's link picker (never types a path for a product); what is stored is the typed link
({"type", "id" | "path" | "url", "title"}), and the mini-program path is derived from it here,
so a page that moves changes one line, not every stored link.

Used by the official account's menu (a mini-program button's page) and, as they arrive, by
banners, the home page builder and articles."""

from __future__ import annotations

from enum import StrEnum
from typing import Any
from urllib.parse import quote, urlsplit

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.core.errors import NotFound, ValidationError
from app.core.labels import labels
from app.extensions import db


class LinkType(StrEnum):
    PRODUCT = "product"
    CATEGORY = "category"
    PAGE = "page"
    PATH = "path"  # a mini-program page with its query, typed (e.g. a campaign's parameters)
    WEB = "url"


LINK_TYPE_LABELS = labels(LinkType, {
    LinkType.PRODUCT: _l("Product"),
    LinkType.CATEGORY: _l("Category"),
    LinkType.PAGE: _l("Shop page"),
    LinkType.PATH: _l("Mini-program path"),
    LinkType.WEB: _l("Web page"),
})

# The mini-program's pages a merchant may send shoppers to (miniprogram/app.json has them all;
# tests/test_links.py keeps the two in step). A product's and a category's pages take an id and
# are the product and category links.
PAGES: tuple[tuple[str, Any], ...] = (
    ("pages/home/index", _l("Home")),
    ("pages/category/index", _l("Categories")),
    ("pages/search/index", _l("Search")),
    ("pages/cart/index", _l("Cart")),
    ("pages/me/index", _l("Me")),
    ("pages/orders/list", _l("My orders")),
    ("pages/address/list", _l("My addresses")),
    ("packages/after-sales/list", _l("My after-sales")),
    ("packages/distribution/index", _l("Distribution centre")),
    ("packages/distribution/apply", _l("Become an agent")),
    ("packages/distribution/rankings", _l("Agent rankings")),
    ("packages/distribution/poster", _l("My poster")),
)
PRODUCT_PAGE = "pages/product/index"
CATEGORY_PAGE = "pages/list/index"
EVERY_PAGE = {path for path, _label in PAGES} | {PRODUCT_PAGE, CATEGORY_PAGE, "pages/orders/detail",
                                                "pages/checkout/index", "pages/pay-result/index",
                                                "pages/address/edit", "packages/after-sales/apply",
                                                "packages/after-sales/detail", "packages/distribution/commissions",
                                                "packages/distribution/orders", "packages/distribution/team",
                                                "packages/distribution/withdraw",
                                                "packages/distribution/withdrawals"}
MAX_PATH, MAX_URL = 255, 512


def resolve(kind: str, *, id: int | None = None, path: str = "", url: str = "") -> dict:
    """The stored form of a link the merchant picked or typed, checked: the product or category
    exists, the page is one of ours, the web address is https. Refused with a 422 naming the
    field otherwise (404 for a product or category that is not there)."""
    if kind == LinkType.PRODUCT:
        from app.catalog.models import Product

        product = db.session.get(Product, id) if id else None
        if product is None or product.deleted_at is not None:
            raise NotFound(_("That product does not exist."))
        return {"type": kind, "id": product.id, "title": product.title}
    if kind == LinkType.CATEGORY:
        from app.catalog.models import Category

        category = db.session.get(Category, id) if id else None
        if category is None:
            raise NotFound(_("That category does not exist."))
        return {"type": kind, "id": category.id, "title": category.name}
    if kind == LinkType.PAGE:
        titles = {page: str(title) for page, title in PAGES}
        if path not in titles:
            raise ValidationError(_("Not one of the shop's pages."), fields={"path": _("Not one of the shop's pages.")})
        return {"type": kind, "path": path, "title": titles[path]}
    if kind == LinkType.PATH:
        path = path.strip().lstrip("/")
        page = path.split("?", 1)[0]
        if len(path) > MAX_PATH or page not in EVERY_PAGE or any(character.isspace() for character in path):
            message = _("A mini-program path starts with one of the shop's pages, e.g. pages/home/index?from=menu.")
            raise ValidationError(message, fields={"path": message})
        return {"type": kind, "path": path, "title": path}
    if kind == LinkType.WEB:
        url = url.strip()
        parts = urlsplit(url)
        if len(url) > MAX_URL or parts.scheme != "https" or not parts.netloc or any(c.isspace() for c in url):
            message = _("A web address starts with https://.")
            raise ValidationError(message, fields={"url": message})
        return {"type": kind, "url": url, "title": url}
    raise ValidationError(_("Not one of the allowed values."), fields={"type": _("Not one of the allowed values.")})


def mini_path(link: dict) -> str | None:
    """The mini-program path a stored link opens; None for a web page."""
    kind = link.get("type")
    if kind == LinkType.PRODUCT:
        return f"{PRODUCT_PAGE}?id={int(link['id'])}"
    if kind == LinkType.CATEGORY:
        return f"{CATEGORY_PAGE}?category_id={int(link['id'])}&title={quote(str(link.get('title', '')))}"
    if kind in (LinkType.PAGE, LinkType.PATH):
        return str(link["path"])
    return None
