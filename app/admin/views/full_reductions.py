"""Full-reduction activities (营销 → 满减): list with status and basis filters and an export,
create and edit (times in Beijing time, amounts in yuan, rates in 折), enable and disable.
Every change goes through `app.marketing.full_reductions`, which audits it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from flask import flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.admin import bp
from app.admin.actions import save_activity
from app.admin.security import actor, area
from app.core.china_time import BEIJING, to_beijing
from app.core.labels import label
from app.core.models import utcnow
from app.core.money import BASIS_POINTS, yuan_to_fen
from app.core.pagination import PageQuery, paginate
from app.core.validation import validate
from app.exports.workbook import COUNT, TIME, Column, SheetFile
from app.extensions import db
from app.marketing import coupon_templates, full_reductions
from app.marketing import full_reduction_words as words
from app.marketing.full_reduction_cache import LiveTier
from app.marketing.full_reduction_models import (
    ActivityScope,
    ActivityStatus,
    FullReductionActivity,
    TierBasis,
)

EXPORT_LIMIT = 5000
TIME_FORMAT = "%Y-%m-%dT%H:%M"
EXPORT_COLUMNS = (Column(_l("Name"), width=24), Column(_l("Status")), Column(_l("Starts"), TIME, 20),
                  Column(_l("Ends"), TIME, 20), Column(_l("Products taking part"), width=20),
                  Column(_l("Chosen"), COUNT, 8), Column(_l("Tiers"), width=40))


def tier_words(activity: FullReductionActivity) -> list[str]:
    return [words.tier_label(activity.basis, LiveTier(tier.threshold, tier.off_fen, tier.pay_rate_bp,
                                                      tier.free_shipping, tier.points, tier.gift_coupon_template_id))
            for tier in activity.tiers]


@bp.get("/marketing/full-reductions", endpoint="full_reductions")
@area("marketing")
def full_reduction_list():
    status, basis = request.args.get("status", ""), request.args.get("basis", "")
    statement = full_reductions.activity_list(status=status, basis=basis)
    page = paginate(statement, validate(PageQuery, request.args.to_dict()), lambda row: row)
    now = utcnow()
    return render_template("admin/marketing/full_reduction_list.html", page=page, status=status, basis=basis,
                           statuses=list(ActivityStatus), bases=list(TierBasis), now=now,
                           status_of=full_reductions.status_of, tier_words=tier_words)


@bp.get("/marketing/full-reductions/export.xlsx")
@area("marketing")
def full_reduction_export():
    """The filtered list as a spreadsheet, at once (a shop has tens of activities, capped)."""
    statement = full_reductions.activity_list(status=request.args.get("status", ""),
                                              basis=request.args.get("basis", ""))
    sheet = SheetFile(_("Full-reduction"), EXPORT_COLUMNS)
    now = utcnow()
    for activity in db.session.scalars(statement.limit(EXPORT_LIMIT)):
        sheet.append([activity.name, label(full_reductions.status_of(activity, now), "ActivityStatus"),
                      to_beijing(activity.starts_at).replace(tzinfo=None),
                      to_beijing(activity.ends_at).replace(tzinfo=None), label(activity.scope, "ActivityScope"),
                      len(activity.scope_ids or []), "；".join(tier_words(activity))])
    path = sheet.save()
    return send_file(path, as_attachment=True, download_name="full-reductions.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


class _Parser:
    """Reads the form into the service's values, noting what cannot be read as field errors."""

    def __init__(self, form) -> None:
        self.form, self.errors = form, {}

    def moment(self, key: str) -> datetime | None:
        text = self.form.get(key, "").strip()
        if not text:
            return None
        try:
            local = datetime.strptime(text, TIME_FORMAT).replace(tzinfo=BEIJING)
        except ValueError:
            self.errors[key] = _("Enter a date and time.")
            return None
        return local.astimezone(UTC).replace(tzinfo=None)

    def ids(self, key: str) -> list[int]:
        return [int(part) for part in self.form.get(key, "").replace(" ", "").split(",")
                if part.isascii() and part.isdigit() and len(part) < 10]

    def number(self, key: str, *, scale: int, error: str) -> int:
        text = self.form.get(key, "").strip()
        if not text:
            return 0
        try:
            value = Decimal(text) * scale
        except InvalidOperation:
            value = Decimal("0.5")
        if value != value.to_integral_value() or value < 0 or value > 10**10:
            self.errors[key] = error
            return 0
        return int(value)

    def tier(self, index: int, basis: str) -> dict[str, Any]:
        prefix = f"tier-{index}-"
        threshold = self.number(f"{prefix}threshold", scale=100 if basis == TierBasis.AMOUNT else 1,
                                error=_("Enter an amount in yuan, e.g. 199, or a whole number of pieces."))
        reward, value_key = self.form.get(f"{prefix}reward", "off"), f"{prefix}value"
        off_fen, pay_rate_bp = 0, BASIS_POINTS
        if reward == "off":
            try:
                off_fen = yuan_to_fen(self.form.get(value_key, "") or "0")
            except ValueError:
                self.errors[value_key] = _("Enter an amount in yuan, e.g. 12.50.")
        elif reward == "rate":
            pay_rate_bp = self.number(value_key, scale=1000, error=_("Enter a rate between 0.1 and 9.9 (折).")) \
                or BASIS_POINTS
        points = self.number(f"{prefix}points", scale=1, error=_("Enter a whole number."))
        gift = self.form.get(f"{prefix}gift_coupon", "")
        return {"threshold": threshold, "off_fen": off_fen, "pay_rate_bp": pay_rate_bp,
                "free_shipping": self.form.get(f"{prefix}free_shipping") == "1", "points": points,
                "gift_coupon_template_id": int(gift) if gift.isdigit() and len(gift) < 10 else None}


def parse(form) -> tuple[dict[str, Any], dict[str, str]]:
    parser = _Parser(form)
    scope, basis = form.get("scope", ""), form.get("basis", "")
    rows = form.get("tier_rows", "0")
    count = min(int(rows), 10) if rows.isdigit() else 0
    values = {"name": form.get("name", ""), "starts_at": parser.moment("starts_at"),
              "ends_at": parser.moment("ends_at"), "scope": scope, "basis": basis,
              "scope_ids": parser.ids("category_ids" if scope == ActivityScope.CATEGORIES else "product_ids"),
              "tiers": [parser.tier(index, basis) for index in range(count)]}
    return values, parser.errors


def _form_errors(fields: dict[str, str]) -> dict[str, str]:
    """Service field names (tiers.0.off_fen) as form field names (tier-0-value)."""
    out = {}
    for key, message in fields.items():
        parts = key.split(".")
        if len(parts) == 3 and parts[0] == "tiers":
            name = {"off_fen": "value", "pay_rate_bp": "value"}.get(parts[2], parts[2])
            out[f"tier-{parts[1]}-{name}"] = message
        else:
            out.setdefault({"scope_ids": "scope"}.get(key, key), message)
    return out


def _tier_row(tier) -> dict[str, Any]:
    rate = tier.pay_rate_bp < BASIS_POINTS
    return {"threshold": words.short_yuan(tier.threshold) if tier.basis_is_amount else str(tier.threshold),
            "reward": "rate" if rate else ("off" if tier.off_fen else "none"),
            "value": words.rate_text(tier.pay_rate_bp) if rate else (words.short_yuan(tier.off_fen)
                                                                       if tier.off_fen else ""),
            "free_shipping": tier.free_shipping, "points": str(tier.points or ""),
            "gift_coupon": str(tier.gift_coupon_template_id or "")}


def _form_from(activity: FullReductionActivity | None) -> dict[str, Any]:
    if activity is None:
        start = to_beijing(utcnow()).replace(second=0, microsecond=0)
        return {"name": "", "starts_at": start.strftime(TIME_FORMAT),
                "ends_at": (start + timedelta(days=7)).strftime(TIME_FORMAT), "scope": ActivityScope.ALL,
                "basis": TierBasis.AMOUNT, "products": [], "categories": [],
                "tiers": [{"threshold": "", "reward": "off", "value": "", "free_shipping": False, "points": "",
                           "gift_coupon": ""}]}
    amount = activity.basis == TierBasis.AMOUNT
    for tier in activity.tiers:
        tier.basis_is_amount = amount
    chosen = full_reductions.scope_titles(activity.scope, list(activity.scope_ids or []))
    categories = activity.scope == ActivityScope.CATEGORIES
    return {"name": activity.name, "starts_at": to_beijing(activity.starts_at).strftime(TIME_FORMAT),
            "ends_at": to_beijing(activity.ends_at).strftime(TIME_FORMAT), "scope": activity.scope,
            "basis": activity.basis, "products": [] if categories else chosen,
            "categories": chosen if categories else [], "tiers": [_tier_row(tier) for tier in activity.tiers]}


def _form_from_request(form, errors: dict[str, str]) -> dict[str, Any]:
    rows = form.get("tier_rows", "0")
    count = min(int(rows), 10) if rows.isdigit() else 0
    tiers = [{"threshold": form.get(f"tier-{i}-threshold", ""), "reward": form.get(f"tier-{i}-reward", "off"),
              "value": form.get(f"tier-{i}-value", ""), "free_shipping": form.get(f"tier-{i}-free_shipping") == "1",
              "points": form.get(f"tier-{i}-points", ""), "gift_coupon": form.get(f"tier-{i}-gift_coupon", ""),
              "errors": {name: errors.get(f"tier-{i}-{name}", "")
                         for name in ("threshold", "value", "points", "gift_coupon_template_id")}}
             for i in range(count)]
    products = full_reductions.scope_titles(ActivityScope.PRODUCTS, _Parser(form).ids("product_ids"))
    categories = full_reductions.scope_titles(ActivityScope.CATEGORIES, _Parser(form).ids("category_ids"))
    return {**{key: form.get(key, "") for key in ("name", "starts_at", "ends_at", "scope", "basis")},
            "products": products, "categories": categories, "tiers": tiers}


@bp.route("/marketing/full-reductions/new", methods=["GET", "POST"], endpoint="full_reduction_new")
@bp.route("/marketing/full-reductions/<int:activity_id>", methods=["GET", "POST"])
@area("marketing")
def full_reduction_edit(activity_id: int | None = None):
    activity = db.get_or_404(FullReductionActivity, activity_id) if activity_id else None
    errors: dict[str, str] = {}
    if request.method == "POST":
        values, errors = parse(request.form)
        if not errors:
            errors = save_activity(activity, values, full_reductions.create_activity,
                                   full_reductions.update_activity, _form_errors)
            if not errors:
                return redirect(url_for("admin.full_reductions"))
        form = _form_from_request(request.form, errors)
    else:
        form = _form_from(activity)
    gifts = coupon_templates.giftable_templates()
    return render_template("admin/marketing/full_reduction_form.html", activity=activity, form=form, errors=errors,
                           scopes=list(ActivityScope), bases=list(TierBasis), gift_coupons=gifts), \
        (422 if errors else 200)


@bp.post("/marketing/full-reductions/<int:activity_id>/enabled")
@area("marketing")
def full_reduction_enable(activity_id: int):
    activity = db.get_or_404(FullReductionActivity, activity_id)
    enabled = request.form.get("enabled") == "1"
    full_reductions.set_enabled(actor(), activity, enabled)
    db.session.commit()
    flash(_("Activity enabled.") if enabled else _("Activity stopped."), "success")
    return redirect(url_for("admin.full_reductions", **{k: v for k, v in request.args.items()}))
