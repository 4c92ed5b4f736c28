"""Promotions a shopper sees before checkout: a product page's full-reduction tags. (The cart
carries its own hints, the checkout preview its discounts.)"""

from __future__ import annotations

from flask import jsonify
from flask_babel import gettext as _
from pydantic import BaseModel, Field
from sqlalchemy import select

from app.api import bp
from app.cart.services import visible_product_ids
from app.catalog.models import Product
from app.core.china_time import beijing_iso
from app.core.errors import NotFound
from app.core.validation import documented
from app.extensions import db
from app.marketing.full_reduction_pricing import product_tags


class ActivityTagOut(BaseModel):
    id: int
    name: str
    tiers: list[str] = Field(description="each tier's words, e.g. 满99减10, 满3件打8折")
    ends_at: str = Field(description="Beijing time")


class ProductPromotionsOut(BaseModel):
    activities: list[ActivityTagOut] = Field(description="the live full-reduction activities covering the product")


@bp.get("/products/<int:product_id>/promotions")
@documented(summary="The product page's promotion tags: live full-reduction activities covering it",
            response=ProductPromotionsOut, tags=("catalog",))
def product_promotions(product_id: int):
    product = db.session.execute(select(Product.id, Product.category_id).where(Product.id == product_id)).first()
    if product is None or not visible_product_ids({product_id}):
        raise NotFound(_("This product is not available."), code="product_not_found")
    return jsonify(activities=[{**tag, "ends_at": beijing_iso(tag["ends_at"])} for tag in product_tags(product)])
