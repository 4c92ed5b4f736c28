"""Categories: the two-level tree, create and edit (name, parent, icon, sort, visible),
delete when empty. The storefront's cached tree follows after the commit (app/catalog/cache.py)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.admin import bp
from app.admin.security import actor, area
from app.catalog import manage
from app.catalog.models import Category
from app.core.errors import DomainError
from app.extensions import db


@bp.get("/categories")
@area("products")
def category_list():
    tops, counts = manage.category_tree()
    return render_template("admin/category_list.html", tops=tops, counts=counts)


def _read(form) -> tuple[dict, dict[str, str]]:
    errors: dict[str, str] = {}
    values = {"name": form.get("name", ""), "icon_url": form.get("icon_url", ""),
              "is_visible": form.get("is_visible") == "1", "parent_id": None, "sort": 0}
    for key in ("parent_id", "sort"):
        text = form.get(key, "").strip()
        if text:
            try:
                values[key] = int(text)
            except ValueError:
                errors[key] = _("Enter a whole number.")
    return values, errors


@bp.route("/categories/new", methods=["GET", "POST"], endpoint="category_new")
@bp.route("/categories/<int:category_id>", methods=["GET", "POST"])
@area("products")
def category_edit(category_id: int | None = None):
    category = db.get_or_404(Category, category_id) if category_id else None
    errors: dict[str, str] = {}
    if request.method == "POST":
        values, errors = _read(request.form)
        if not errors:
            try:
                manage.save_category(actor(), category, values)
            except DomainError as refusal:
                db.session.rollback()
                errors = refusal.fields or {"name": refusal.message}
            else:
                db.session.commit()
                flash(_("Saved."), "success")
                return redirect(url_for("admin.category_list"))
        form = {**values, "parent_id": request.form.get("parent_id", ""), "sort": request.form.get("sort", "")}
    elif category is None:
        form = {"name": "", "parent_id": request.args.get("parent_id", ""), "icon_url": "", "sort": "0",
                "is_visible": True}
    else:
        form = {"name": category.name, "parent_id": category.parent_id or "", "icon_url": category.icon_url,
                "sort": category.sort, "is_visible": category.is_visible}
    parents = [top for top in manage.top_categories() if category is None or top.id != category.id]
    return render_template("admin/category_form.html", category=category, form=form, errors=errors,
                           parents=parents), (422 if errors else 200)


@bp.post("/categories/<int:category_id>/delete")
@area("products")
def category_delete(category_id: int):
    category = db.get_or_404(Category, category_id)
    try:
        manage.delete_category(actor(), category)
    except DomainError as refusal:
        db.session.rollback()
        flash(refusal.message, "danger")
    else:
        db.session.commit()
        flash(_("Deleted."), "success")
    return redirect(url_for("admin.category_list"))
