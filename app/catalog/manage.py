"""Merchant changes to products: shelf status, details and schedule, each audited."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, select

from app.audit import services as audit
from app.audit.services import Actor
from app.catalog import stock as stock_rules
from app.catalog.models import MAX_IMAGES, Category, Product
from app.catalog.richtext import MAX_DETAIL_LENGTH, sanitise_detail
from app.catalog.visibility import MANUAL
from app.core.errors import ValidationError
from app.extensions import db

BASIC_FIELDS = ("title", "subtitle", "is_recommended", "is_hot", "is_new", "sort")
DETAIL_FIELDS = ("category_id", "title", "subtitle", "image_urls", "detail_html", "is_recommended", "is_hot",
                 "is_new", "sort", "virtual_sales", "share_title", "share_image_url", "shipping_template_id",
                 "stock_alert_threshold", "on_shelf_at", "off_shelf_at")
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
        statement = statement.where(Product.id.in_(stock_rules.low_stock_products()))
    return statement.order_by(*PRODUCT_SORTS.get(sort, PRODUCT_SORTS["newest"]))


def set_on_shelf(actor: Actor, product: Product, on_shelf: bool) -> None:
    if product.is_on_shelf != on_shelf:
        audit.record(actor, area="products", action="product.shelf", target_type="product", target_id=product.id,
                     summary=product.title, before={"is_on_shelf": product.is_on_shelf},
                     after={"is_on_shelf": on_shelf})
        product.is_on_shelf = on_shelf
        product.off_shelf_reason = "" if on_shelf else MANUAL
        db.session.flush()


def update_basics(actor: Actor, product: Product, values: dict[str, Any]) -> None:
    before = {key: getattr(product, key) for key in BASIC_FIELDS}
    for key in BASIC_FIELDS:
        setattr(product, key, values[key])
    db.session.flush()
    changed_before, changed_after = audit.changed_fields(before, {key: getattr(product, key) for key in BASIC_FIELDS})
    audit.record(actor, area="products", action="product.update", target_type="product", target_id=product.id,
                 summary=product.title, before=changed_before, after=changed_after)


def _check_details(values: dict[str, Any]) -> dict[str, str]:
    from app.shipping.models import ShippingTemplate

    fields: dict[str, str] = {}
    if db.session.get(Category, values["category_id"] or 0) is None:
        fields["category_id"] = _("Choose a category.")
    if not (values.get("title") or "").strip():
        fields["title"] = _("This field is required.")
    images = values.get("image_urls") or []
    if len(images) > MAX_IMAGES or any(not isinstance(url, str) or not url or len(url) > 512 for url in images):
        fields["image_urls"] = _("Up to %(n)s images.", n=MAX_IMAGES)
    if len(values.get("detail_html") or "") > MAX_DETAIL_LENGTH:
        fields["detail_html"] = _("At most %(n)s characters.", n=MAX_DETAIL_LENGTH)
    template_id = values.get("shipping_template_id")
    if template_id is not None and db.session.get(ShippingTemplate, template_id) is None:
        fields["shipping_template_id"] = _("Not one of the allowed values.")
    if not 0 <= int(values.get("stock_alert_threshold") or 0) <= 1_000_000:
        fields["stock_alert_threshold"] = _("Between %(low)s and %(high)s.", low=0, high=1_000_000)
    on_at: datetime | None = values.get("on_shelf_at")
    off_at: datetime | None = values.get("off_shelf_at")
    if on_at and off_at and off_at <= on_at:
        fields["off_shelf_at"] = _("Must be later than the time it goes on shelf.")
    return fields


def update_details(actor: Actor, product: Product, values: dict[str, Any]) -> Product:
    """Everything about a product but its SKUs: images in order (the first is the cover),
    sanitised detail, share card, shipping template, stock alert and shelf schedule."""
    values = {key: values.get(key, getattr(product, key)) for key in DETAIL_FIELDS}
    fields = _check_details(values)
    if fields:
        raise ValidationError(_("Some fields are invalid."), fields=fields)
    values["title"] = values["title"].strip()
    values["detail_html"] = sanitise_detail(values["detail_html"])
    before = {key: _plain(getattr(product, key)) for key in DETAIL_FIELDS}
    for key, value in values.items():
        setattr(product, key, value)
    product.cover_url = product.image_urls[0] if product.image_urls else ""
    db.session.flush()
    changed_before, changed_after = audit.changed_fields(before, {key: _plain(getattr(product, key))
                                                                  for key in DETAIL_FIELDS})
    audit.record(actor, area="products", action="product.update", target_type="product", target_id=product.id,
                 summary=product.title, before=changed_before, after=changed_after)
    return product


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value
