"""Reading the catalogue as a shopper sees it: cheap column queries, no N+1."""

from __future__ import annotations

from datetime import datetime
from functools import cache as cache_fn

from flask_babel import gettext as _
from sqlalchemy import DateTime, Integer, Row, Select, bindparam, func, select

from app.catalog import cache
from app.catalog.models import Product, Sku
from app.catalog.visibility import on_shelf_now, visible_clause
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
_PRODUCT_COLUMNS = (Product.id, Product.title, Product.subtitle, Product.cover_url, Product.min_price_fen,
                    Product.sales, Product.virtual_sales, Product.is_hot, Product.is_new)
# Per listed row, from its SKUs (indexed by product_id): the cheapest SKU's original price
# (ties: the first SKU) and the total stock, so a page is one query.
SUMMARY_COLUMNS = (
    *_PRODUCT_COLUMNS,
    select(Sku.original_price_fen).where(Sku.product_id == Product.id).order_by(Sku.price_fen, Sku.id).limit(1)
    .scalar_subquery().label("original_price_fen"),
    select(func.coalesce(func.sum(Sku.stock), 0)).where(Sku.product_id == Product.id)
    .scalar_subquery().label("stock"),
)


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


# The home page's 为你推荐: only products marked recommended, the first few by sort value.
HOME_RECOMMENDED = 10


def home_recommended(now: datetime | None = None) -> Select:
    """Summary rows of the products the home page shows (the console says why others are not there)."""
    return visible_products(recommended=True, now=now).limit(HOME_RECOMMENDED)


def on_home_page(product_ids: set[int]) -> set[int]:
    """Which of these products the home page shows right now."""
    return {row[0] for row in db.session.execute(home_recommended())} & product_ids


@cache_fn
def _listing(sort: str, categories: str) -> Select:
    """The list query for one sort, built once with bind parameters: building and hashing the
    statement per request cost more than running it. `categories`: "in" the listed ones,
    "not_in" the hidden ones (the whole shop while some are hidden), or "any".

    The page's ids are chosen first, then only those rows get their SKU columns: where the
    order needs a sort (a top category is several index ranges), the database would
    otherwise compute them for every product of the category before sorting."""
    ids = select(Product.id).where(on_shelf_now(bindparam("now", type_=DateTime())))
    if categories == "in":
        ids = ids.where(Product.category_id.in_(bindparam("category_ids", expanding=True)))
    elif categories == "not_in":
        ids = ids.where(Product.category_id.not_in(bindparam("category_ids", expanding=True)))
    page = (ids.order_by(*PRODUCT_SORTS[sort]).limit(bindparam("limit", type_=Integer()))
            .offset(bindparam("offset", type_=Integer())).subquery("page"))
    return (select(*SUMMARY_COLUMNS).select_from(Product).join(page, page.c.id == Product.id)
            .order_by(*PRODUCT_SORTS[sort]))


def _listed_categories(category_id: int | None) -> list[int]:
    visible = cache.snapshot().visible_ids
    if category_id is None:
        return list(visible) or [-1]
    return [member for member in _in_category(category_id) if member in visible] or [-1]


def visible_page(*, category_id: int | None = None, keyword: str | None = None, sort: str = "default",
                 limit: int, offset: int, now: datetime | None = None) -> list[Row]:
    """One page of summary rows, as `visible_products` would list them."""
    if keyword:
        statement = visible_products(category_id=category_id, keyword=keyword, sort=sort, now=now)
        return db.session.execute(statement.limit(limit).offset(offset)).all()
    params = {"now": now or utcnow(), "limit": limit, "offset": offset}
    hidden = cache.snapshot().hidden_ids
    if category_id is not None:
        statement, params["category_ids"] = _listing(sort, "in"), _listed_categories(category_id)
    elif hidden:
        statement, params["category_ids"] = _listing(sort, "not_in"), list(hidden)
    else:
        statement = _listing(sort, "any")
    with db.engine.connect() as connection:  # see `visible_product`
        return connection.execute(statement, params).all()


def visible_total(*, category_id: int | None = None, keyword: str | None = None) -> int:
    """How many products such a listing holds, from the per-worker cache (see `cache.cached_total`).
    Without a keyword it is a sum of per-category counts, all counted by one query."""
    if keyword:
        return cache.cached_total(("keyword", category_id, keyword),
                                  lambda: count_rows(visible_products(category_id=category_id, keyword=keyword)))
    per_category = cache.cached_total("per_category", _count_per_category)
    return sum(per_category.get(member, 0) for member in _listed_categories(category_id))


def _count_per_category() -> dict[int, int]:
    rows = db.session.execute(select(Product.category_id, func.count()).where(visible_clause())
                              .group_by(Product.category_id))
    return {category_id: count for category_id, count in rows}


_DETAIL_COLUMNS = (*_PRODUCT_COLUMNS, Product.category_id, Product.image_urls, Product.detail_html, Product.share_title,
                   Product.share_image_url, Product.shipping_template_id, Product.spec_matrix)
_SKU_COLUMNS = (Sku.id.label("sku_id"), Sku.specs, Sku.price_fen, Sku.original_price_fen, Sku.stock, Sku.weight_g,
                Sku.image_url)
# The product with its SKUs (none: one row of NULLs), one row per SKU, built once with bind
# parameters: building and hashing the statement per request cost more than running it.
_DETAIL = (select(*_DETAIL_COLUMNS, *_SKU_COLUMNS).outerjoin(Sku, Sku.product_id == Product.id)
           .where(Product.id == bindparam("product_id"), on_shelf_now(bindparam("now", type_=DateTime())))
           .order_by(Sku.id))


def visible_product(product_id: int, now: datetime | None = None) -> tuple[Row, list[Row]]:
    """A product the storefront shows and its SKUs (`sku_id`, specs, prices, stock, ...), as
    plain rows from one indexed query. Read-only, on a connection of its own: it sees what is
    committed, and skips the ORM session's bookkeeping, which cost more than the query."""
    with db.engine.connect() as connection:
        rows = connection.execute(_DETAIL, {"product_id": product_id, "now": now or utcnow()}).all()
    if not rows or rows[0].category_id not in cache.snapshot().visible_ids:
        raise NotFound(_("This product is not available."), code="product_not_found")
    return rows[0], rows if rows[0].sku_id is not None else []
