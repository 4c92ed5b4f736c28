"""Merchant changes to the catalogue from the console, each audited: products (create, details,
schedule, shelf, soft delete), categories, and uploaded images.

Storefront caches follow by themselves: a flush that touches a category or a product's listing
columns bumps the catalogue generation after commit (app/catalog/cache.py).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, func, select

from app.audit import services as audit
from app.audit.services import Actor
from app.catalog import richtext
from app.catalog import skus as sku_rules
from app.catalog import stock as stock_rules
from app.catalog.models import MAX_IMAGES, Category, Product, Sku
from app.catalog.richtext import MAX_DETAIL_LENGTH, sanitise_detail
from app.catalog.visibility import MANUAL
from app.core.errors import Conflict, ValidationError
from app.core.models import utcnow
from app.extensions import db
from app.media import usage as media_usage

BASIC_FIELDS = ("title", "subtitle", "is_recommended", "is_hot", "is_new", "sort")
DETAIL_FIELDS = ("category_id", "title", "subtitle", "image_urls", "detail_html", "is_recommended", "is_hot",
                 "is_new", "sort", "virtual_sales", "share_title", "share_image_url", "shipping_template_id",
                 "stock_alert_threshold", "on_shelf_at", "off_shelf_at")
DETAIL_DEFAULTS: dict[str, Any] = {
    "category_id": None, "title": "", "subtitle": "", "image_urls": [], "detail_html": "", "is_recommended": False,
    "is_hot": False, "is_new": False, "sort": 0, "virtual_sales": 0, "share_title": "", "share_image_url": "",
    "shipping_template_id": None, "stock_alert_threshold": 10, "on_shelf_at": None, "off_shelf_at": None}
TEXT_LIMITS = {"title": 120, "subtitle": 255, "share_title": 64, "share_image_url": 512}
INT_LIMITS = {"sort": (-1_000_000, 1_000_000), "virtual_sales": (0, 100_000_000),
              "stock_alert_threshold": (0, 1_000_000)}
MAX_BATCH = 200
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
    for key, limit in TEXT_LIMITS.items():
        if key not in fields and len(values.get(key) or "") > limit:
            fields[key] = _("At most %(n)s characters.", n=limit)
    for key, (low, high) in INT_LIMITS.items():
        value = values.get(key)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            fields[key] = _("Between %(low)s and %(high)s.", low=low, high=high)
    images = values.get("image_urls") or []
    if len(images) > MAX_IMAGES or any(not isinstance(url, str) or not url or len(url) > 512 for url in images):
        fields["image_urls"] = _("Up to %(n)s images.", n=MAX_IMAGES)
    elif not all(sku_rules.is_image_url(url) for url in images):
        fields["image_urls"] = _("An image address starts with https://, http:// or /.")
    if "share_image_url" not in fields and values.get("share_image_url") \
            and not sku_rules.is_image_url(values["share_image_url"]):
        fields["share_image_url"] = _("An image address starts with https://, http:// or /.")
    if len(values.get("detail_html") or "") > MAX_DETAIL_LENGTH:
        fields["detail_html"] = _("At most %(n)s characters.", n=MAX_DETAIL_LENGTH)
    template_id = values.get("shipping_template_id")
    if template_id is not None and db.session.get(ShippingTemplate, template_id) is None:
        fields["shipping_template_id"] = _("Not one of the allowed values.")
    on_at: datetime | None = values.get("on_shelf_at")
    off_at: datetime | None = values.get("off_shelf_at")
    if on_at and off_at and off_at <= on_at:
        fields["off_shelf_at"] = _("Must be later than the time it goes on shelf.")
    return fields


def save_product(actor: Actor, product: Product | None, details: dict[str, Any], matrix: list[dict[str, Any]],
                 sku_rows: list[dict[str, Any]], *, on_shelf: bool = False) -> Product:
    """The editor's save: details and spec matrix together, all checked before anything is
    written (errors for both in one refusal). A new product starts on or off shelf as asked."""
    current = product or Product(**DETAIL_DEFAULTS)
    values = {key: details.get(key, getattr(current, key)) for key in DETAIL_FIELDS}
    fields = _check_details(values)
    try:
        sku_rules.check_matrix(matrix, sku_rows)
    except ValidationError as refusal:
        fields.update(refusal.fields)
    if fields:
        raise ValidationError(_("Some fields are invalid."), fields=fields)
    if product is None:
        product = Product(category_id=values["category_id"], title=values["title"].strip(), is_on_shelf=on_shelf,
                          off_shelf_reason="" if on_shelf else MANUAL)
        db.session.add(product)
        db.session.flush()
        _apply_details(product, values)
        audit.record(actor, area="products", action="product.create", target_type="product",
                     target_id=product.id, summary=product.title,
                     after={key: _plain(getattr(product, key)) for key in DETAIL_FIELDS})
    else:
        update_details(actor, product, values)
    sku_rules.save_matrix(actor, product, matrix, sku_rows)
    record_pictures(product)
    return product


def record_pictures(product: Product) -> None:
    """Tell the media library which pictures the product shows (gallery, share card, SKUs,
    the pictures in its detail)."""
    sku_pictures = db.session.scalars(select(Sku.image_url).where(Sku.product_id == product.id))
    media_usage.record(media_usage.UsageOwner.PRODUCT, product.id,
                       [*product.image_urls, product.share_image_url, *sku_pictures,
                        *richtext.picture_urls(product.detail_html)], product.title)


def update_details(actor: Actor, product: Product, values: dict[str, Any]) -> Product:
    """Everything about a product but its SKUs: images in order (the first is the cover),
    sanitised detail, share card, shipping template, stock alert and shelf schedule."""
    values = {key: values.get(key, getattr(product, key)) for key in DETAIL_FIELDS}
    fields = _check_details(values)
    if fields:
        raise ValidationError(_("Some fields are invalid."), fields=fields)
    before = {key: _plain(getattr(product, key)) for key in DETAIL_FIELDS}
    _apply_details(product, values)
    changed_before, changed_after = audit.changed_fields(before, {key: _plain(getattr(product, key))
                                                                  for key in DETAIL_FIELDS})
    audit.record(actor, area="products", action="product.update", target_type="product", target_id=product.id,
                 summary=product.title, before=changed_before, after=changed_after)
    record_pictures(product)
    return product


def _apply_details(product: Product, values: dict[str, Any]) -> None:
    values = dict(values, title=values["title"].strip(), detail_html=sanitise_detail(values["detail_html"]))
    for key, value in values.items():
        setattr(product, key, value)
    product.cover_url = product.image_urls[0] if product.image_urls else ""
    db.session.flush()


def products_by_ids(product_ids: list[int]) -> list[Product]:
    """The listed products that exist and are not deleted (at most MAX_BATCH), in id order."""
    ids = sorted({int(pid) for pid in product_ids})[:MAX_BATCH]
    if not ids:
        return []
    return list(db.session.scalars(select(Product).where(Product.id.in_(ids), Product.deleted_at.is_(None))
                                   .order_by(Product.id)))


def set_shelf_many(actor: Actor, products: list[Product], on_shelf: bool) -> int:
    """Batch on/off shelf; returns how many changed."""
    changed = [product for product in products if product.is_on_shelf != on_shelf]
    for product in changed:
        set_on_shelf(actor, product, on_shelf)
    return len(changed)


def delete_products(actor: Actor, products: list[Product]) -> int:
    """Soft delete: the row stays (order lines point at its SKUs), shoppers and the console's
    list no longer see it."""
    now = utcnow()
    for product in products:
        audit.record(actor, area="products", action="product.delete", target_type="product",
                     target_id=product.id, summary=product.title, before={"deleted_at": None},
                     after={"deleted_at": now.isoformat()})
        product.deleted_at = now
    db.session.flush()
    return len(products)


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime) else value


# Categories: two levels, a top category and its children.

CATEGORY_FIELDS = ("name", "parent_id", "icon_url", "sort", "is_visible")


def category_tree() -> tuple[list[Category], dict[int, int]]:
    """Top categories (children loaded, larger sort first) and how many products each
    category holds, deleted ones included (they still point at it)."""
    tops = list(db.session.scalars(select(Category).where(Category.parent_id.is_(None))
                                   .order_by(Category.sort.desc(), Category.id)))
    counts = dict(db.session.execute(select(Product.category_id, func.count(Product.id))
                                     .group_by(Product.category_id)).all())
    return tops, counts


def top_categories() -> list[Category]:
    return list(db.session.scalars(select(Category).where(Category.parent_id.is_(None))
                                   .order_by(Category.sort.desc(), Category.id)))


def _check_category(category: Category | None, values: dict[str, Any]) -> dict[str, str]:
    fields: dict[str, str] = {}
    name = values["name"]
    if not name or len(name) > 32:
        fields["name"] = _("Between 1 and %(n)s characters.", n=32)
    parent_id = values["parent_id"]
    if parent_id is not None:
        parent = db.session.get(Category, parent_id)
        if parent is None or parent.parent_id is not None or (category is not None and parent.id == category.id):
            fields["parent_id"] = _("Choose a top-level category.")
        elif category is not None and category.children:
            fields["parent_id"] = _("A category with subcategories stays at the top level.")
    if "name" not in fields and "parent_id" not in fields:
        twin = select(Category.id).where(Category.name == name, Category.parent_id.is_(None) if parent_id is None
                                         else Category.parent_id == parent_id)
        if category is not None:
            twin = twin.where(Category.id != category.id)
        if db.session.scalar(twin.limit(1)) is not None:
            fields["name"] = _("There is already a category of this name here.")
    if len(values["icon_url"]) > 512:
        fields["icon_url"] = _("At most %(n)s characters.", n=512)
    elif values["icon_url"] and not sku_rules.is_image_url(values["icon_url"]):
        fields["icon_url"] = _("An image address starts with https://, http:// or /.")
    sort = values["sort"]
    if isinstance(sort, bool) or not isinstance(sort, int) or not -1_000_000 <= sort <= 1_000_000:
        fields["sort"] = _("Between %(low)s and %(high)s.", low=-1_000_000, high=1_000_000)
    return fields


def save_category(actor: Actor, category: Category | None, values: dict[str, Any]) -> Category:
    """Create or edit a category; a child's parent must be a top-level category."""
    values = {"name": str(values.get("name") or "").strip(), "parent_id": values.get("parent_id"),
              "icon_url": str(values.get("icon_url") or "").strip(), "sort": values.get("sort", 0),
              "is_visible": bool(values.get("is_visible"))}
    fields = _check_category(category, values)
    if fields:
        raise ValidationError(_("Some fields are invalid."), fields=fields)
    before = None if category is None else {key: getattr(category, key) for key in CATEGORY_FIELDS}
    if category is None:
        category = Category()
        db.session.add(category)
    for key, value in values.items():
        setattr(category, key, value)
    db.session.flush()
    media_usage.record(media_usage.UsageOwner.CATEGORY, category.id, [category.icon_url], category.name)
    if before is None:
        audit.record(actor, area="products", action="category.create", target_type="category",
                     target_id=category.id, summary=category.name, after=values)
    else:
        changed_before, changed_after = audit.changed_fields(before, values)
        audit.record(actor, area="products", action="category.update", target_type="category",
                     target_id=category.id, summary=category.name, before=changed_before, after=changed_after)
    return category


def delete_category(actor: Actor, category: Category) -> None:
    """Only an empty category goes: no subcategories and no products (deleted products too,
    since their rows and orders still name it)."""
    children = db.session.scalar(select(func.count(Category.id)).where(Category.parent_id == category.id))
    if children:
        raise Conflict(_("“%(name)s” still has %(n)s subcategories; move or delete them first.",
                         name=category.name, n=children), code="category_not_empty")
    products = db.session.scalar(select(func.count(Product.id)).where(Product.category_id == category.id))
    if products:
        raise Conflict(_("“%(name)s” still holds %(n)s products (deleted ones included); move them to another "
                         "category first.", name=category.name, n=products), code="category_not_empty")
    audit.record(actor, area="products", action="category.delete", target_type="category", target_id=category.id,
                 summary=category.name, before={key: getattr(category, key) for key in CATEGORY_FIELDS}, after={})
    media_usage.record(media_usage.UsageOwner.CATEGORY, category.id, [])
    db.session.delete(category)
    db.session.flush()


def recount_picture_usage(batch: int = 500) -> int:
    """Tell the media library again which pictures every product and category shows (pictures
    chosen before the library kept count, or a count lost): products a keyset batch at a time.
    Returns how many records were recounted."""
    recounted, after = 0, 0
    while True:
        products = db.session.scalars(select(Product).where(Product.id > after, Product.deleted_at.is_(None))
                                      .order_by(Product.id).limit(batch)).all()
        if not products:
            break
        for product in products:
            record_pictures(product)
        recounted, after = recounted + len(products), products[-1].id
    for category in db.session.scalars(select(Category)):
        media_usage.record(media_usage.UsageOwner.CATEGORY, category.id, [category.icon_url], category.name)
        recounted += 1
    return recounted
