"""Storefront catalogue: categories and products."""

from __future__ import annotations

from typing import Literal

from flask import jsonify
from pydantic import BaseModel, Field

from app.api import bp
from app.catalog import services as catalog
from app.catalog.models import Category, Product, Sku
from app.core.pagination import Page, PageQuery, paginate
from app.core.validation import documented, use_query


class CategoryOut(BaseModel):
    id: int
    name: str
    icon_url: str
    children: list[CategoryOut] = []


class SkuOut(BaseModel):
    id: int
    specs: dict[str, str]
    price_fen: int
    original_price_fen: int
    stock: int
    image_url: str


class ProductSummaryOut(BaseModel):
    id: int
    title: str
    subtitle: str
    cover_url: str
    min_price_fen: int
    original_price_fen: int
    sales: int


class ProductOut(ProductSummaryOut):
    image_urls: list[str]
    skus: list[SkuOut]


class ProductQuery(PageQuery):
    category_id: int | None = Field(None, ge=1)
    keyword: str | None = Field(None, max_length=50)
    sort: Literal["default", "newest", "sales"] = "default"


def _category(category: Category, with_children: bool = True) -> dict:
    children = [_category(c, False) for c in category.children if c.is_visible] if with_children else []
    return {"id": category.id, "name": category.name, "icon_url": category.icon_url, "children": children}


def _sku(sku: Sku) -> dict:
    return {"id": sku.id, "specs": sku.specs, "price_fen": sku.price_fen,
            "original_price_fen": sku.original_price_fen, "stock": sku.stock, "image_url": sku.image_url}


def _summary(product: Product) -> dict:
    cheapest = min(product.skus, key=lambda s: s.price_fen, default=None)
    return {
        "id": product.id,
        "title": product.title,
        "subtitle": product.subtitle,
        "cover_url": product.cover_url,
        "min_price_fen": cheapest.price_fen if cheapest else 0,
        "original_price_fen": cheapest.original_price_fen if cheapest else 0,
        "sales": product.sales + product.virtual_sales,
    }


@bp.get("/categories")
@documented(summary="The visible category tree (two levels)", tags=("catalog",))
def categories():
    return jsonify(items=[_category(c) for c in catalog.category_tree()])


@bp.get("/products")
@documented(summary="Products on the storefront, paginated", response=Page[ProductSummaryOut],
            tags=("catalog",))
@use_query(ProductQuery)
def products(query: ProductQuery):
    statement = catalog.visible_products(category_id=query.category_id, keyword=query.keyword,
                                         sort=query.sort)
    return jsonify(paginate(statement, query, _summary))


@bp.get("/products/<int:product_id>")
@documented(summary="One product with its SKUs", response=ProductOut, tags=("catalog",))
def product_detail(product_id: int):
    product = catalog.visible_product(product_id)
    return jsonify({**_summary(product), "image_urls": product.image_urls,
                    "skus": [_sku(s) for s in product.skus]})
