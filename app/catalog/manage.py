"""Merchant changes to products: shelf status and basic details, each audited."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select

from app.audit import services as audit
from app.audit.services import Actor
from app.catalog.models import Category, Product, Sku
from app.extensions import db

BASIC_FIELDS = ("title", "subtitle", "is_recommended", "is_hot", "is_new", "sort")
PRODUCT_SORTS = {
    "newest": (Product.id.desc(),),
    "sales": ((Product.sales + Product.virtual_sales).desc(), Product.id.desc()),
    "sort": (Product.sort.desc(), Product.id.desc()),
}


def product_list(*, keyword: str | None = None, category_id: int | None = None, shelf: str | None = None,
                 low_stock: bool = False, sort: str = "newest") -> Select:
    """Products as the merchant sees them: everything not deleted, whatever its visibility."""
    statement = select(Product).where(Product.deleted_at.is_(None))
    if keyword:
        statement = statement.where(Product.title.contains(keyword.strip(), autoescape=True))
    if category_id:
        children = select(Category.id).where(Category.parent_id == category_id)
        statement = statement.where((Product.category_id == category_id) | Product.category_id.in_(children))
    if shelf in ("on", "off"):
        statement = statement.where(Product.is_on_shelf.is_(shelf == "on"))
    if low_stock:
        low = select(Sku.product_id).group_by(Sku.product_id).having(func.min(Sku.stock) <= 10)
        statement = statement.where(Product.id.in_(low))
    return statement.order_by(*PRODUCT_SORTS.get(sort, PRODUCT_SORTS["newest"]))


def set_on_shelf(actor: Actor, product: Product, on_shelf: bool) -> None:
    if product.is_on_shelf != on_shelf:
        audit.record(actor, area="products", action="product.shelf", target_type="product", target_id=product.id,
                     summary=product.title, before={"is_on_shelf": product.is_on_shelf},
                     after={"is_on_shelf": on_shelf})
        product.is_on_shelf = on_shelf
        db.session.flush()


def update_basics(actor: Actor, product: Product, values: dict[str, Any]) -> None:
    before = {key: getattr(product, key) for key in BASIC_FIELDS}
    for key in BASIC_FIELDS:
        setattr(product, key, values[key])
    db.session.flush()
    changed_before, changed_after = audit.changed_fields(before, {key: getattr(product, key) for key in BASIC_FIELDS})
    audit.record(actor, area="products", action="product.update", target_type="product", target_id=product.id,
                 summary=product.title, before=changed_before, after=changed_after)
