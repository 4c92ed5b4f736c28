"""Stock: taking and returning units atomically, low-stock alerts, automatic off-shelf.

Stock only moves through a conditional UPDATE (`stock >= quantity`), so two buyers of the
last unit can never both get it, and the check constraint keeps it from going negative.
"""

from __future__ import annotations

from sqlalchemy import func, select, update

from app.audit import services as audit
from app.audit.services import SYSTEM
from app.catalog.models import Product, Sku
from app.extensions import db


def take(sku_id: int, quantity: int) -> bool:
    """Remove `quantity` units if there are that many; False (and no change) otherwise."""
    if quantity <= 0:
        raise ValueError("quantity must be positive")
    taken = db.session.execute(
        update(Sku).where(Sku.id == sku_id, Sku.stock >= quantity).values(stock=Sku.stock - quantity)
        .execution_options(synchronize_session=False)).rowcount == 1
    if taken:
        _expire(sku_id)
        product_id = db.session.scalar(select(Sku.product_id).where(Sku.id == sku_id))
        stock_changed([product_id])
    return taken


def give_back(sku_id: int, quantity: int) -> None:
    """Return units (a closed order, a refund with restock)."""
    if quantity <= 0:
        raise ValueError("quantity must be positive")
    db.session.execute(update(Sku).where(Sku.id == sku_id).values(stock=Sku.stock + quantity)
                       .execution_options(synchronize_session=False))
    _expire(sku_id)


def _expire(sku_id: int) -> None:
    sku = db.session.identity_map.get(db.session.identity_key(Sku, sku_id))
    if sku is not None:
        db.session.expire(sku, ["stock"])


def total_stock(product_id: int) -> int:
    return db.session.scalar(select(func.coalesce(func.sum(Sku.stock), 0)).where(Sku.product_id == product_id))


def stock_changed(product_ids: list[int]) -> list[int]:
    """Take sold-out products off shelf when the shop says so; the ids taken off."""
    from app.shop.services import shop_settings

    if not product_ids or not shop_settings().auto_off_shelf_when_sold_out:
        return []
    sold_out = db.session.scalars(
        select(Product).where(Product.id.in_(product_ids), Product.is_on_shelf.is_(True))
        .where(~select(Sku.id).where(Sku.product_id == Product.id, Sku.stock > 0).exists())
        .where(select(Sku.id).where(Sku.product_id == Product.id).exists())).all()
    for product in sold_out:
        audit.record(SYSTEM, area="products", action="product.shelf", target_type="product",
                     target_id=product.id, summary=product.title, before={"is_on_shelf": True},
                     after={"is_on_shelf": False, "reason": "sold_out"})
        product.is_on_shelf, product.off_shelf_reason = False, "sold_out"
    db.session.flush()
    return [product.id for product in sold_out]


def low_stock_skus(product: Product) -> list[Sku]:
    """SKUs at or below the product's alert threshold."""
    return [sku for sku in product.skus if sku.stock <= product.stock_alert_threshold]


def low_stock_products():
    """Products with a SKU at or below its alert threshold, as a subquery of ids."""
    return (select(Sku.product_id).join(Product, Product.id == Sku.product_id)
            .where(Sku.stock <= Product.stock_alert_threshold).distinct())
