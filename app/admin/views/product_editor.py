"""The product editor: details, images, rich detail, schedule and the spec matrix with its SKUs.

The browser edits the matrix (product_editor.js) and posts it as one JSON field, in yuan; this
module only reads the form into the service's shape (fen, UTC, ints), noting unreadable values
as field errors. The service re-derives the combinations and checks everything again.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.admin import bp
from app.admin.security import actor, area
from app.catalog import manage
from app.catalog.models import Product
from app.catalog.visibility import why_not_visible
from app.core.china_time import BEIJING, to_beijing
from app.core.errors import DomainError
from app.core.json_bodies import strict_loads
from app.core.money import fen_to_yuan, yuan_to_fen
from app.extensions import db

TEXT_FIELDS = ("title", "subtitle", "detail_html", "share_title", "share_image_url")
INT_FIELDS = ("sort", "virtual_sales", "stock_alert_threshold")
FLAGS = ("is_recommended", "is_hot", "is_new")
SKU_MONEY = {"price": "price_fen", "original_price": "original_price_fen", "cost": "cost_fen"}
SKU_COUNTS = ("stock", "weight_g")
MAX_ROWS = 1000


class _Reader:
    """Form text → service values; what cannot be read becomes a field error."""

    def __init__(self, form) -> None:
        self.form, self.errors = form, {}

    def integer(self, key: str, text: str | None = None, *, required: bool = True) -> int | None:
        text = (self.form.get(key, "") if text is None else text).strip()
        if not text and not required:
            return None
        try:
            return int(text or "0")
        except ValueError:
            self.errors[key] = _("Enter a whole number.")
            return None

    def moment(self, key: str) -> datetime | None:
        """A Beijing time typed in the form, as naive UTC."""
        text = self.form.get(key, "").strip()
        if not text:
            return None
        try:
            local = datetime.fromisoformat(text)
        except ValueError:
            self.errors[key] = _("Enter a date and time.")
            return None
        return local.replace(tzinfo=BEIJING).astimezone(UTC).replace(tzinfo=None)

    def details(self) -> dict[str, Any]:
        values: dict[str, Any] = {key: self.form.get(key, "") for key in TEXT_FIELDS}
        values.update({key: self.form.get(key) == "1" for key in FLAGS})
        values.update({key: self.integer(key) for key in INT_FIELDS})
        values["category_id"] = self.integer("category_id", required=False)
        values["shipping_template_id"] = self.integer("shipping_template_id", required=False)
        values["image_urls"] = [line.strip() for line in self.form.get("image_urls", "").splitlines() if line.strip()]
        values["on_shelf_at"], values["off_shelf_at"] = self.moment("on_shelf_at"), self.moment("off_shelf_at")
        return values

    def matrix(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, Any]]:
        """(spec matrix, SKU rows in fen, the posted JSON to show again)."""
        try:
            posted = strict_loads(self.form.get("matrix_json") or "{}")
        except ValueError:  # deep nesting and NaN included: the editor never sends them
            posted = None
        if not isinstance(posted, dict) or not isinstance(posted.get("spec_matrix", []), list) \
                or not isinstance(posted.get("skus", []), list) or len(posted.get("skus", [])) > MAX_ROWS:
            self.errors["spec_matrix"] = _("The spec table could not be read; reload the page.")
            return [], [], {"spec_matrix": [], "skus": []}
        matrix = []
        for index, spec in enumerate(posted.get("spec_matrix", [])):
            if not isinstance(spec, dict) or not isinstance(spec.get("values"), list):
                self.errors[f"spec_matrix.{index}.values"] = _("The spec table could not be read; reload the page.")
                continue
            matrix.append({"name": str(spec.get("name", "")), "values": [str(v) for v in spec["values"]]})
        rows = [self._sku(index, row) for index, row in enumerate(posted.get("skus", []))]
        return matrix, rows, {"spec_matrix": posted.get("spec_matrix", []), "skus": posted.get("skus", [])}

    def _sku(self, index: int, row: Any) -> dict[str, Any]:
        row = row if isinstance(row, dict) else {}
        specs = row.get("specs") if isinstance(row.get("specs"), dict) else {}
        sku: dict[str, Any] = {"specs": {str(k): str(v) for k, v in specs.items()},
                               "code": str(row.get("code") or ""), "image_url": str(row.get("image_url") or "")}
        for name, field in SKU_MONEY.items():
            text = str(row.get(name) or "").strip()
            if not text and name == "price":
                self.errors[f"skus.{index}.{field}"] = _("Enter a price.")
                continue
            try:
                sku[field] = yuan_to_fen(text or "0")
            except ValueError:
                self.errors[f"skus.{index}.{field}"] = _("Enter an amount in yuan, e.g. 12.50.")
        for name in SKU_COUNTS:
            value = self.integer(f"skus.{index}.{name}", str(row.get(name) or ""))
            if value is not None:
                sku[name] = value
        return sku


def _form_from(product: Product | None) -> dict[str, Any]:
    if product is None:
        values = dict(manage.DETAIL_DEFAULTS, image_urls="", on_shelf="1")
        matrix = {"spec_matrix": [], "skus": [{"specs": {}, "price": "", "original_price": "", "cost": "",
                                               "stock": "0", "weight_g": "0", "code": "", "image_url": ""}]}
        return {**{k: ("" if v is None else v) for k, v in values.items()}, "matrix": matrix}
    values = {key: getattr(product, key) for key in manage.DETAIL_FIELDS}
    values["image_urls"] = "\n".join(product.image_urls or [])
    for key in ("on_shelf_at", "off_shelf_at"):
        moment = to_beijing(values[key])
        values[key] = moment.strftime("%Y-%m-%dT%H:%M") if moment else ""
    values = {k: ("" if v is None else v) for k, v in values.items()}
    skus = [{"specs": sku.specs, "price": fen_to_yuan(sku.price_fen), "original_price":
             fen_to_yuan(sku.original_price_fen) if sku.original_price_fen else "",
             "cost": fen_to_yuan(sku.cost_fen) if sku.cost_fen else "", "stock": str(sku.stock),
             "weight_g": str(sku.weight_g), "code": sku.code, "image_url": sku.image_url} for sku in product.skus]
    return {**values, "matrix": {"spec_matrix": product.spec_matrix or [], "skus": skus}}


def _form_from_request(form, posted_matrix: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {key: form.get(key, "") for key in (*TEXT_FIELDS, *INT_FIELDS, "category_id",
                                                                  "shipping_template_id", "image_urls",
                                                                  "on_shelf_at", "off_shelf_at")}
    values.update({key: form.get(key) == "1" for key in (*FLAGS, "on_shelf")})
    return {**values, "matrix": posted_matrix}


def _editor_text() -> dict[str, str]:
    """The script's words, translated here (the script holds no text of its own)."""
    return {
        "dimension": _("Spec name, e.g. 颜色"), "value": _("New value"), "add_value": _("Add value"),
        "remove_dimension": _("Remove spec"), "remove_value": _("Remove"), "price": _("Price (yuan)"),
        "original_price": _("Original price (yuan)"), "cost": _("Cost (yuan)"), "stock": _("Stock"),
        "weight_g": _("Weight (g)"), "code": _("SKU code"), "image_url": _("Picture"),
        "single": _("Single spec"), "too_many": _("At most 3 specs."),
        "pick_picture": _("Choose a picture"), "remove_picture": _("Remove the picture"),
    }


def _render(product: Product | None, form: dict[str, Any], errors: dict[str, str], status: int = 200):
    from app.distribution import product_rules
    from app.shipping import services as shipping

    editor_data = {"matrix": form["matrix"], "errors": errors, "text": _editor_text()}
    return render_template("admin/product_form.html", product=product, form=form, errors=errors,
                           matrix_errors=_matrix_errors(errors, form["matrix"]),
                           categories=manage.top_categories(), templates=shipping.templates(),
                           reasons=why_not_visible(product) if product else [],
                           commission_rule=product_rules.rule_of(product.id) if product else None,
                           editor_data=editor_data), status


def _matrix_errors(errors: dict[str, str], posted: dict[str, Any]) -> list[str]:
    """Spec-table errors in words, for the list above the table (the script marks the cells)."""
    names = {"price_fen": _("Price"), "original_price_fen": _("Original price"), "cost_fen": _("Cost"),
             "stock": _("Stock"), "weight_g": _("Weight (g)"), "code": _("SKU code"), "image_url": _("Picture"),
             "specs": _("Specs"), "name": _("Spec name"), "values": _("Values")}
    rows = posted.get("skus") if isinstance(posted.get("skus"), list) else []
    lines = []
    for key, message in errors.items():
        parts = key.split(".")
        if parts[0] == "skus" and len(parts) == 3 and parts[1].isdigit():
            index = int(parts[1])
            row = rows[index] if index < len(rows) and isinstance(rows[index], dict) else {}
            specs = row.get("specs") if isinstance(row.get("specs"), dict) else {}
            label = "/".join(str(v) for v in specs.values()) or _("Default")
            lines.append(_("Row %(n)s (%(specs)s) · %(field)s: %(message)s", n=index + 1, specs=label,
                           field=names.get(parts[2], parts[2]), message=message))
        elif parts[0] == "spec_matrix" and len(parts) == 3 and parts[1].isdigit():
            lines.append(_("Spec %(n)s · %(field)s: %(message)s", n=int(parts[1]) + 1,
                           field=names.get(parts[2], parts[2]), message=message))
        elif parts[0] in ("skus", "spec_matrix"):
            lines.append(message)
    return lines


@bp.route("/products/new", methods=["GET", "POST"], endpoint="product_new")
@bp.route("/products/<int:product_id>", methods=["GET", "POST"])
@area("products")
def product_edit(product_id: int | None = None):
    product = None
    if product_id is not None:
        lookup = select(Product).where(Product.id == product_id, Product.deleted_at.is_(None))
        # a save holds the product's row, so two saves of one matrix cannot interleave
        product = db.session.scalar(lookup.with_for_update() if request.method == "POST" else lookup)
        if product is None:
            abort(404)
    if request.method != "POST":  # GET and HEAD only read
        return _render(product, _form_from(product), {})
    reader = _Reader(request.form)
    details = reader.details()
    matrix, rows, posted = reader.matrix()
    errors = dict(reader.errors)
    try:
        saved = manage.save_product(actor(), product, details, matrix, rows,
                                    on_shelf=request.form.get("on_shelf") == "1")
    except DomainError as refusal:
        db.session.rollback()
        errors = {**(refusal.fields or {"spec_matrix": refusal.message}), **errors}
    else:
        if not errors:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("admin.product_edit", product_id=saved.id))
        db.session.rollback()
    return _render(product, _form_from_request(request.form, posted), errors, 422)
