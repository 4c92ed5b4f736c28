"""Reading the catalogue as a shopper sees it: cheap column queries, no N+1."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from app.catalog import cache
from app.catalog.models import Product, Sku
from app.catalog.visibility import visible_clause
from app.core.errors import NotFound
from app.core.models import utcnow
from app.core.pagination import count_rows
from app.extensions import db

PRODUCT_SORTS = {
    "default": (Product.sort.desc(), Product.id.desc()),
    "newest": (Product.id.desc(),),
    "sales": (Product.display_sales.desc(), Product.id.desc()),
    "price_asc": (Product.min_price_fen.asc(), Product.id.asc()),
    "price_desc": (Product.min_price_fen.desc(), Product.id.desc()),
}
SUMMARY_COLUMNS = (Product.id, Product.title, Product.subtitle, Product.cover_url, Product.min_price_fen,
                   Product.sales, Product.virtual_sales, Product.is_hot, Product.is_new)


def category_tree() -> list[dict]:
    """The visible two-level tree, as plain data, from the per-worker cache."""
    return cache.snapshot().as_json


def category_known(category_id: int) -> bool:
    return category_id in cache.snapshot().visible_ids


def _in_category(category_id: int) -> list[int]:
    return [category_id, *cache.snapshot().children_of.get(category_id, ())]


def visible_products(*, category_id: int | None = None, keyword: str | None = None, sort: str = "default",
                     recommended: bool = False, now: datetime | None = None) -> Select:
    """Summary rows (not ORM objects) of what the storefront shows, in the chosen order."""
    statement = select(*SUMMARY_COLUMNS).where(visible_clause(now))
    if category_id is not None:
        statement = statement.where(Product.category_id.in_(_in_category(category_id)))
    if keyword:
        statement = statement.where(Product.title.contains(keyword, autoescape=True))
    if recommended:
        statement = statement.where(Product.is_recommended.is_(True))
    return statement.order_by(*PRODUCT_SORTS[sort])


def visible_total(*, category_id: int | None = None, keyword: str | None = None, recommended: bool = False) -> int:
    """How many products such a listing holds, from the per-worker cache (see `cache.cached_total`)."""
    return cache.cached_total(
        ("products", category_id, keyword, recommended),
        lambda: count_rows(visible_products(category_id=category_id, keyword=keyword, recommended=recommended)))


def sku_figures(product_ids: list[int]) -> dict[int, dict[str, int]]:
    """For each product: the cheapest SKU's original price and the total stock, in one query."""
    figures: dict[int, dict[str, int]] = defaultdict(lambda: {"price": -1, "original": 0, "stock": 0})
    if not product_ids:
        return figures
    rows = db.session.execute(select(Sku.product_id, Sku.price_fen, Sku.original_price_fen, Sku.stock)
                              .where(Sku.product_id.in_(product_ids)).order_by(Sku.id))
    for product_id, price, original, stock in rows:
        entry = figures[product_id]
        if entry["price"] < 0 or price < entry["price"]:
            entry["price"], entry["original"] = price, original
        entry["stock"] += stock
    return figures


def visible_product(product_id: int, now: datetime | None = None) -> Product:
    product = db.session.scalar(select(Product).where(Product.id == product_id, visible_clause(now or utcnow()))
                                .options(selectinload(Product.skus)))
    if product is None:
        raise NotFound(_("This product is not available."), code="product_not_found")
    return product
