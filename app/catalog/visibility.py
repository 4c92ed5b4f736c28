"""When a product shows on the storefront, why it does not, and the shelf schedule.

A product shows iff it is on shelf, inside its scheduled window (when one is set), not
deleted, and its category and that category's parent are visible. The schedule is applied
when read (the window is part of the query), and `apply_shelf_schedule` later writes the
outcome down so the console's shelf column agrees.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import ColumnElement, and_, or_, select, update

from app.audit import services as audit
from app.audit.services import SYSTEM
from app.catalog import cache
from app.catalog.models import Category, Product
from app.core.china_time import format_beijing
from app.core.models import utcnow
from app.extensions import db

MANUAL, SOLD_OUT, SCHEDULE = "manual", "sold_out", "schedule"


def on_shelf_now(now: datetime) -> ColumnElement[bool]:
    """The shelf part of visibility, schedule included, as a WHERE clause."""
    return and_(Product.is_on_shelf.is_(True), Product.deleted_at.is_(None),
                or_(Product.on_shelf_at.is_(None), Product.on_shelf_at <= now),
                or_(Product.off_shelf_at.is_(None), Product.off_shelf_at > now))


def visible_clause(now: datetime | None = None) -> ColumnElement[bool]:
    visible_ids = cache.snapshot().visible_ids
    return and_(on_shelf_now(now or utcnow()), Product.category_id.in_(visible_ids or {-1}))


def sold_out_off_shelf_ids(product_ids: set[int], now: datetime | None = None) -> set[int]:
    """Which of these products are off shelf only because they sold out (the shop's
    auto-off-shelf setting): shoppers are told they sold out, not that they are gone."""
    if not product_ids:
        return set()
    now = now or utcnow()
    visible_ids = cache.snapshot().visible_ids
    return set(db.session.scalars(select(Product.id).where(
        Product.id.in_(product_ids), Product.is_on_shelf.is_(False), Product.off_shelf_reason == SOLD_OUT,
        Product.deleted_at.is_(None), Product.category_id.in_(visible_ids or {-1}),
        or_(Product.on_shelf_at.is_(None), Product.on_shelf_at <= now),
        or_(Product.off_shelf_at.is_(None), Product.off_shelf_at > now))))


@dataclass(frozen=True)
class Reason:
    code: str
    message: str


def why_not_visible(product: Product, now: datetime | None = None,
                    categories: Mapping[int, Category] | None = None) -> list[Reason]:
    """Every reason a shopper cannot see `product` (empty: it shows). For the console.
    `categories`: every category by id, when the caller asks for many products (the session
    holds loaded rows weakly, so each product's lookup would read its category again)."""
    now = now or utcnow()
    reasons: list[Reason] = []
    if product.deleted_at is not None:
        reasons.append(Reason("deleted", _("The product was deleted.")))
    if not product.is_on_shelf:
        if product.off_shelf_reason == SOLD_OUT:
            reasons.append(Reason("sold_out", _("It was taken off shelf automatically when its stock ran out.")))
        elif product.off_shelf_reason == SCHEDULE:
            reasons.append(Reason("schedule_ended", _("Its scheduled time on shelf has ended.")))
        else:
            reasons.append(Reason("off_shelf", _("It is off shelf.")))
    else:
        if product.on_shelf_at is not None and product.on_shelf_at > now:
            reasons.append(Reason("scheduled", _("It is scheduled to go on shelf at %(when)s.",
                                                 when=format_beijing(product.on_shelf_at, "%Y-%m-%d %H:%M"))))
        if product.off_shelf_at is not None and product.off_shelf_at <= now:
            reasons.append(Reason("schedule_ended", _("Its scheduled time on shelf has ended.")))
    def category_of(category_id: int) -> Category | None:
        return categories.get(category_id) if categories is not None else db.session.get(Category, category_id)

    category = category_of(product.category_id)
    parent = category_of(category.parent_id) if category and category.parent_id else None
    if category is not None and not category.is_visible:
        reasons.append(Reason("category_hidden", _("Its category “%(name)s” is hidden.", name=category.name)))
    if parent is not None and not parent.is_visible:
        reasons.append(Reason("parent_category_hidden",
                              _("Its parent category “%(name)s” is hidden.", name=parent.name)))
    stock = sum(sku.stock for sku in product.skus)  # the list loads them with the products
    if not product.skus:
        reasons.append(Reason("no_skus", _("It has no SKUs to buy.")))
    elif not stock and not reasons:
        reasons.append(Reason("no_stock", _("It shows, but as sold out: every SKU's stock is 0.")))
    return reasons


def apply_shelf_schedule(now: datetime | None = None) -> dict[str, int]:
    """Write down what the schedule already decided: due launches lose their date, due
    withdrawals go off shelf. Idempotent; audited as the system."""
    now = now or utcnow()
    launched = db.session.execute(
        update(Product).where(Product.is_on_shelf.is_(True), Product.on_shelf_at <= now,
                              or_(Product.off_shelf_at.is_(None), Product.off_shelf_at > now))
        .values(on_shelf_at=None).execution_options(synchronize_session=False)).rowcount
    due = db.session.scalars(select(Product).where(Product.is_on_shelf.is_(True), Product.off_shelf_at <= now)
                             .with_for_update()).all()
    for product in due:
        audit.record(SYSTEM, area="products", action="product.shelf", target_type="product",
                     target_id=product.id, summary=product.title, before={"is_on_shelf": True},
                     after={"is_on_shelf": False, "reason": SCHEDULE})
        product.is_on_shelf, product.off_shelf_reason = False, SCHEDULE
        product.on_shelf_at = product.off_shelf_at = None
    db.session.flush()
    return {"launched": launched, "withdrawn": len(due)}
