"""Storefront catalogue: category tree, product list and product detail."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Literal

from flask import Response, current_app, jsonify
from flask_babel import gettext as _
from pydantic import BaseModel, Field, field_validator

from app.api import answer_replay, bp
from app.catalog import cache, search
from app.catalog import services as catalog
from app.catalog.richtext import for_rich_text
from app.core.errors import NotFound
from app.core.pagination import NumberedPage, PageNumberQuery
from app.core.validation import documented, use_query


class CategoryOut(BaseModel):
    id: int
    name: str
    icon_url: str
    children: list[CategoryOut] = []


class CategoryTreeOut(BaseModel):
    items: list[CategoryOut]


class SpecOut(BaseModel):
    name: str
    values: list[str]


class SkuOut(BaseModel):
    id: int
    specs: dict[str, str]
    price_fen: int
    original_price_fen: int
    stock: int
    weight_g: int
    image_url: str


class ShareOut(BaseModel):
    title: str
    image_url: str


class ProductSummaryOut(BaseModel):
    id: int
    title: str
    subtitle: str
    cover_url: str
    min_price_fen: int
    original_price_fen: int
    sales: int
    is_hot: bool
    is_new: bool
    sold_out: bool


class ProductOut(ProductSummaryOut):
    image_urls: list[str]
    detail_html: str = Field(description="sanitised HTML for the rich-text component: pictures fitted to the "
                                         "screen, at whole addresses; ruled tables")
    share: ShareOut
    ships_free: bool = Field(description="no shipping template: no freight whatever the address")
    stock: int
    spec_matrix: list[SpecOut]
    skus: list[SkuOut]


class ProductQuery(PageNumberQuery):
    category_id: int | None = Field(None, ge=1, le=2_000_000_000)
    keyword: str | None = Field(None, max_length=50)
    sort: Literal["default", "newest", "sales", "price_asc", "price_desc"] = "default"

    @field_validator("keyword")
    @classmethod
    def _squeeze(cls, value: str | None) -> str | None:
        return " ".join(value.split()) or None if value else None


def summaries(rows: list) -> list[dict]:
    """Rows selected with `catalog.SUMMARY_COLUMNS`, as the storefront shows them (unpacked by
    position: by-name access on a row costs more than the rest of the page)."""
    return [{"id": id_, "title": title, "subtitle": subtitle, "cover_url": cover_url, "min_price_fen": min_price,
             "original_price_fen": original or 0, "sales": sales + virtual_sales, "is_hot": is_hot, "is_new": is_new,
             "sold_out": (stock or 0) <= 0}
            for id_, title, subtitle, cover_url, min_price, sales, virtual_sales, is_hot, is_new, original, stock
            in rows]


def product_detail_json(product, sku_rows) -> dict:
    skus = [{"id": sku.sku_id, "specs": sku.specs, "price_fen": sku.price_fen,
             "original_price_fen": sku.original_price_fen, "stock": sku.stock, "weight_g": sku.weight_g,
             "image_url": sku.image_url} for sku in sku_rows]
    cheapest = min(skus, key=lambda sku: sku["price_fen"], default=None)
    stock = sum(sku["stock"] for sku in skus)
    return {
        "id": product.id, "title": product.title, "subtitle": product.subtitle, "cover_url": product.cover_url,
        "min_price_fen": cheapest["price_fen"] if cheapest else 0,
        "original_price_fen": cheapest["original_price_fen"] if cheapest else 0,
        "sales": product.sales + product.virtual_sales, "is_hot": product.is_hot, "is_new": product.is_new,
        "sold_out": stock <= 0, "image_urls": product.image_urls,
        "detail_html": for_rich_text(product.detail_html, current_app.config["PUBLIC_BASE_URL"]),
        "share": {"title": product.share_title or product.title,
                  "image_url": product.share_image_url or product.cover_url},
        "ships_free": product.shipping_template_id is None, "stock": stock,
        "spec_matrix": product.spec_matrix, "skus": skus,
    }


@bp.get("/categories")
@documented(summary="The visible category tree (two levels)", response=CategoryTreeOut, tags=("catalog",))
def categories():
    return jsonify(items=catalog.category_tree())


def _remembered_json(key: Hashable, render: Callable[[], dict]) -> Response:
    """What `jsonify(render())` answers, kept per worker until the catalogue changes (see
    `cache.rendered`): the unchanged pages and products shoppers keep opening cost no query."""
    json = current_app.json
    body = cache.rendered(key, lambda: (json.dumps(render()) + "\n").encode())
    answer_replay.remember(key)
    return current_app.response_class(body, mimetype=json.mimetype)


@bp.get("/products")
@documented(summary="Products on the storefront: by category or keyword, sorted, paginated",
            response=NumberedPage[ProductSummaryOut], tags=("catalog",))
@use_query(ProductQuery)
def products(query: ProductQuery):
    if query.keyword:  # searches are counted, and too many to keep
        return jsonify(_product_page(query))
    return _remembered_json(("products", query.category_id, query.sort, query.page, query.size),
                            lambda: _product_page(query))


def _product_page(query: ProductQuery) -> dict:
    if query.category_id is not None and not catalog.category_known(query.category_id):
        raise NotFound(_("This category does not exist."), code="category_not_found")
    if query.keyword and query.page == 1:
        search.count_search(query.keyword)
    rows = catalog.visible_page(category_id=query.category_id, keyword=query.keyword, sort=query.sort,
                                limit=query.size, offset=(query.page - 1) * query.size)
    return {"items": summaries(rows), "page": query.page, "size": query.size,
            "total": catalog.visible_total(category_id=query.category_id, keyword=query.keyword)}


@bp.get("/products/<int:product_id>")
@documented(summary="One product with its spec matrix, SKUs and stock", response=ProductOut, tags=("catalog",))
def product_detail(product_id: int):
    return _remembered_json(("product", product_id),
                            lambda: product_detail_json(*catalog.visible_product(product_id)))
