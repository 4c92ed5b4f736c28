"""Products: the list with search and filters, why each is hidden or not on the home page, shelf
on/off one by one or in a batch, and batch (soft) delete. The editor is in product_editor.py."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.admin import bp
from app.admin.security import actor, area
from app.catalog import manage
from app.catalog import services as catalog
from app.catalog.models import Category, Product
from app.catalog.visibility import why_not_visible
from app.core.pagination import PageQuery, paginate
from app.core.validation import validate
from app.extensions import db

BATCH_ACTIONS = ("on", "off", "delete")


@bp.get("/products")
@area("products")
def product_list():
    args = request.args
    statement = manage.product_list(keyword=args.get("q") or None, category_id=args.get("category_id", type=int),
                                    shelf=args.get("shelf"), low_stock=args.get("low_stock") == "1",
                                    sort=args.get("sort", "newest")).options(selectinload(Product.skus))
    page = paginate(statement, validate(PageQuery, args.to_dict()), lambda product: product)
    every_category = {category.id: category for category in db.session.scalars(select(Category))}
    reasons = {product.id: why_not_visible(product, categories=every_category) for product in page["items"]}
    on_home = catalog.on_home_page({product.id for product in page["items"]})
    categories = sorted((category for category in every_category.values() if category.parent_id is None),
                        key=lambda category: category.id)
    return render_template("admin/product_list.html", page=page, categories=categories, args=args, reasons=reasons,
                           on_home=on_home, home_limit=catalog.HOME_RECOMMENDED)


def _back_to_list():
    referrer = request.referrer or ""
    return redirect(referrer if referrer.startswith(request.host_url + "admin/products")
                    else url_for("admin.product_list"))


@bp.post("/products/<int:product_id>/shelf")
@area("products")
def product_shelf(product_id: int):
    product = db.session.scalar(select(Product).where(Product.id == product_id, Product.deleted_at.is_(None)))
    if product is None:
        abort(404)
    manage.set_on_shelf(actor(), product, request.form.get("on_shelf") == "1")
    db.session.commit()
    flash(_("Saved."), "success")
    return _back_to_list()


@bp.post("/products/batch")
@area("products")
def product_batch():
    """Checked rows of the list: put on shelf, take off shelf, or delete (soft)."""
    action = request.form.get("action", "")
    ids = [int(value) for value in request.form.getlist("product_ids") if value.isdigit()]
    products = manage.products_by_ids(ids)
    if action not in BATCH_ACTIONS or not products:
        flash(_("Tick the products first, then choose what to do with them."), "warning")
        return _back_to_list()
    if action == "delete":
        count = manage.delete_products(actor(), products)
        message = _("%(n)s products deleted.", n=count)
    else:
        count = manage.set_shelf_many(actor(), products, action == "on")
        message = _("%(n)s products put on shelf.", n=count) if action == "on" else \
            _("%(n)s products taken off shelf.", n=count)
    db.session.commit()
    flash(message, "success")
    return _back_to_list()
