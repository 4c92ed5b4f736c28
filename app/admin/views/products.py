"""Products: the list with search and filters, shelf on/off, basic details."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.admin import bp
from app.admin.forms import ProductBasicsForm
from app.admin.security import actor, area
from app.catalog import manage
from app.catalog.models import Category, Product
from app.core.pagination import PageQuery, paginate
from app.core.validation import validate
from app.extensions import db


@bp.get("/products")
@area("products")
def product_list():
    args = request.args
    statement = manage.product_list(keyword=args.get("q") or None, category_id=args.get("category_id", type=int),
                                    shelf=args.get("shelf"), low_stock=args.get("low_stock") == "1",
                                    sort=args.get("sort", "newest")).options(selectinload(Product.skus))
    page = paginate(statement, validate(PageQuery, args.to_dict()), lambda product: product)
    categories = db.session.scalars(select(Category).where(Category.parent_id.is_(None)).order_by(Category.id)).all()
    return render_template("admin/product_list.html", page=page, categories=categories, args=args)


@bp.post("/products/<int:product_id>/shelf")
@area("products")
def product_shelf(product_id: int):
    product = db.get_or_404(Product, product_id)
    manage.set_on_shelf(actor(), product, request.form.get("on_shelf") == "1")
    db.session.commit()
    flash(_("Saved."), "success")
    return redirect(request.referrer if (request.referrer or "").startswith(request.host_url + "admin/products")
                    else url_for("admin.product_list"))


@bp.route("/products/<int:product_id>", methods=["GET", "POST"])
@area("products")
def product_edit(product_id: int):
    product = db.get_or_404(Product, product_id)
    form = ProductBasicsForm(obj=product)
    if form.validate_on_submit():
        manage.update_basics(actor(), product, {key: getattr(form, key).data for key in manage.BASIC_FIELDS})
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for("admin.product_list"))
    return render_template("admin/product_form.html", form=form, product=product)
