"""Reading the catalogue as a shopper sees it."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from app.catalog.models import Category, Product
from app.core.errors import NotFound
from app.extensions import db

PRODUCT_SORTS = {
    "default": (Product.sort.desc(), Product.id.desc()),
    "newest": (Product.created_at.desc(), Product.id.desc()),
    "sales": ((Product.sales + Product.virtual_sales).desc(), Product.id.desc()),
}


def _visible() -> Select:
    """A product shows on the storefront iff it is on shelf, not deleted, in a visible category."""
    return (
        select(Product)
        .join(Category, Product.category_id == Category.id)
        .where(Product.is_on_shelf.is_(True), Product.deleted_at.is_(None), Category.is_visible.is_(True))
    )


def category_tree() -> list[Category]:
    tops = db.session.scalars(
        select(Category)
        .where(Category.parent_id.is_(None), Category.is_visible.is_(True))
        .options(selectinload(Category.children))
        .order_by(Category.sort.desc(), Category.id)
    )
    return list(tops)


def visible_products(*, category_id: int | None = None, keyword: str | None = None,
                     sort: str = "default") -> Select:
    statement = _visible().options(selectinload(Product.skus))
    if category_id is not None:
        children = select(Category.id).where(Category.parent_id == category_id)
        statement = statement.where(
            (Product.category_id == category_id) | Product.category_id.in_(children))
    if keyword:
        statement = statement.where(Product.title.contains(keyword, autoescape=True))
    return statement.order_by(*PRODUCT_SORTS[sort])


def visible_product(product_id: int) -> Product:
    product = db.session.scalar(
        _visible().where(Product.id == product_id).options(selectinload(Product.skus)))
    if product is None:
        raise NotFound(_("This product is not available."), code="product_not_found")
    return product
