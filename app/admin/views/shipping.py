"""Shipping templates: list, create and edit with region and free-shipping rules, delete.

Fees are typed in yuan, weights in kg; the form has a few blank rule rows (blank rows are
ignored), so no script is needed to add one — save, and new blank rows appear.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.admin import bp
from app.admin.security import actor, area
from app.core.errors import DomainError
from app.core.money import yuan_to_fen
from app.extensions import db
from app.shipping import regions
from app.shipping import services as shipping
from app.shipping.models import BY_WEIGHT, ShippingTemplate

BLANK_ROWS = 2


@bp.get("/products/shipping")
@area("products")
def shipping_list():
    templates = shipping.templates()
    used = {template.id: shipping.products_using(template.id) for template in templates}
    return render_template("admin/shipping_list.html", templates=templates, used=used,
                           region_names=_region_names)


def _region_names(codes: list[str]) -> str:
    return "、".join(regions.name_of(code) for code in codes) or _("All regions")


class _Parser:
    """Reads the form into the service's shape, noting unreadable numbers as field errors."""

    def __init__(self, form) -> None:
        self.form, self.errors = form, {}
        self.by_weight = form.get("method") == BY_WEIGHT

    def fen(self, key: str) -> int | None:
        try:
            return yuan_to_fen(self.form.get(key, "") or "0")
        except ValueError:
            self.errors[key] = _("Enter an amount in yuan, e.g. 12.50.")
            return None

    def amount(self, key: str, *, weight: bool | None = None) -> int | None:
        text = (self.form.get(key, "") or "0").strip()
        try:
            value = Decimal(text) * (1000 if (self.by_weight if weight is None else weight) else 1)
        except InvalidOperation:
            value = Decimal("0.5")
        if value != value.to_integral_value():
            self.errors[key] = _("Enter a whole number (weights in kg, at most 3 decimals).")
            return None
        return int(value)

    def rule(self, prefix: str) -> dict:
        return {"first_amount": self.amount(f"{prefix}first_amount"), "first_fee_fen": self.fen(f"{prefix}first_fee"),
                "additional_amount": self.amount(f"{prefix}additional_amount"),
                "additional_fee_fen": self.fen(f"{prefix}additional_fee")}


def _row_count(form, prefix: str) -> int:
    return int(form.get(f"{prefix}_rows", "0") or 0) if form.get(f"{prefix}_rows", "0").isdigit() else 0


def parse(form) -> tuple[dict, dict, dict[str, dict[int, int]]]:
    """(values for the service, parse errors, service row index -> form row index)."""
    parser = _Parser(form)
    values = {"name": form.get("name", ""), "method": form.get("method", ""), "default": parser.rule(""),
              "region_rules": [], "free_rules": []}
    rows = {"region_rules": {}, "free_rules": {}}
    for index in range(min(_row_count(form, "rule"), 60)):
        prefix = f"rule-{index}-"
        codes = form.getlist(f"{prefix}regions")
        if not codes and not any(form.get(f"{prefix}{name}") for name in ("first_fee", "additional_fee")):
            continue
        rows["region_rules"][len(values["region_rules"])] = index
        values["region_rules"].append({"region_codes": codes, **parser.rule(prefix)})
    for index in range(min(_row_count(form, "free"), 60)):
        prefix = f"free-{index}-"
        if not form.get(f"{prefix}threshold"):
            continue
        condition = form.get(f"{prefix}condition", "")
        threshold = parser.fen(f"{prefix}threshold") if condition == "amount" else \
            parser.amount(f"{prefix}threshold", weight=condition == "weight")
        rows["free_rules"][len(values["free_rules"])] = index
        values["free_rules"].append({"region_codes": form.getlist(f"{prefix}regions"), "condition": condition,
                                     "threshold": threshold})
    return values, parser.errors, rows


def _form_errors(fields: dict[str, str], rows: dict[str, dict[int, int]]) -> dict[str, str]:
    """Service field names (region_rules.0.first_fee_fen) as form field names (rule-3-first_fee)."""
    out = {}
    for key, message in fields.items():
        parts = key.split(".")
        if len(parts) == 3 and parts[0] in rows:
            prefix = "rule" if parts[0] == "region_rules" else "free"
            name = parts[2].removesuffix("_fen").replace("region_codes", "regions")
            out[f"{prefix}-{rows[parts[0]].get(int(parts[1]), 0)}-{name}"] = message
        else:
            out[key.removesuffix("_fen")] = message
    return out


def _form_from(template: ShippingTemplate | None) -> dict:
    """The template as form values (yuan, kg), plus blank rows."""
    if template is None:
        return {"name": "", "method": "count", "first_amount": "1", "first_fee": "0.00", "additional_amount": "1",
                "additional_fee": "0.00", "rules": [{}] * BLANK_ROWS, "frees": [{}] * BLANK_ROWS}
    weight = template.method == BY_WEIGHT

    def amount(value: int, is_weight: bool = weight) -> str:
        return f"{Decimal(value) / 1000:g}" if is_weight else str(value)

    def money(fen: int) -> str:
        return f"{fen // 100}.{fen % 100:02d}"

    def rule(row) -> dict:
        return {"regions": list(getattr(row, "region_codes", [])), "first_amount": amount(row.first_amount),
                "first_fee": money(row.first_fee_fen), "additional_amount": amount(row.additional_amount),
                "additional_fee": money(row.additional_fee_fen)}

    frees = [{"regions": list(free.region_codes), "condition": free.condition,
              "threshold": money(free.threshold) if free.condition == "amount"
              else amount(free.threshold, free.condition == "weight")} for free in template.free_rules]
    return {"name": template.name, "method": template.method, **{k: v for k, v in rule(template).items()
                                                                  if k != "regions"},
            "rules": [rule(row) for row in template.region_rules] + [{}] * BLANK_ROWS,
            "frees": frees + [{}] * BLANK_ROWS}


def _form_from_request(form) -> dict:
    def rows(prefix: str, names: tuple[str, ...]) -> list[dict]:
        return [{"regions": form.getlist(f"{prefix}-{i}-regions"),
                 **{name: form.get(f"{prefix}-{i}-{name}", "") for name in names}}
                for i in range(min(_row_count(form, prefix), 60))]

    values = {key: form.get(key, "") for key in ("name", "method", "first_amount", "first_fee", "additional_amount",
                                                 "additional_fee")}
    return {**values, "rules": rows("rule", ("first_amount", "first_fee", "additional_amount", "additional_fee")),
            "frees": rows("free", ("condition", "threshold"))}


@bp.route("/products/shipping/new", methods=["GET", "POST"], endpoint="shipping_new")
@bp.route("/products/shipping/<int:template_id>", methods=["GET", "POST"])
@area("products")
def shipping_edit(template_id: int | None = None):
    template = db.get_or_404(ShippingTemplate, template_id) if template_id else None
    errors: dict[str, str] = {}
    if request.method == "POST":
        values, errors, rows = parse(request.form)
        if not errors:
            try:
                if template is None:
                    shipping.create_template(actor(), values)
                else:
                    shipping.update_template(actor(), template, values)
            except DomainError as refusal:
                db.session.rollback()
                errors = _form_errors(refusal.fields, rows) or {"name": refusal.message}
            else:
                db.session.commit()
                flash(_("Saved."), "success")
                return redirect(url_for("admin.shipping_list"))
        form = _form_from_request(request.form)
    else:
        form = _form_from(template)
    return render_template("admin/shipping_form.html", template=template, form=form, errors=errors,
                           provinces=regions.provinces()), (422 if errors else 200)


@bp.post("/products/shipping/<int:template_id>/delete")
@area("products")
def shipping_delete(template_id: int):
    template = db.get_or_404(ShippingTemplate, template_id)
    try:
        shipping.delete_template(actor(), template)
    except DomainError as refusal:
        db.session.rollback()
        flash(refusal.message, "danger")
    else:
        db.session.commit()
        flash(_("Deleted."), "success")
    return redirect(url_for("admin.shipping_list"))
