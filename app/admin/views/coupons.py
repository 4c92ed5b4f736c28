"""Marketing → coupons: the templates (list, form, who holds them and which orders used them),
the coupon centre's order (dragged), sending one to members, and the gifts (new-user pack,
invitee, order amount) with the refund setting. The views parse and call app.marketing; every
change is audited there."""

from __future__ import annotations

import secrets
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from flask import flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.accounts.models import User
from app.admin import bp
from app.admin.coupon_forms import CouponGiftSettingsForm, CouponSendForm, CouponTemplateForm
from app.admin.security import actor, area
from app.catalog.models import Category, Product
from app.core.china_time import day_start_utc, to_beijing
from app.core.errors import DomainError, ValidationError
from app.core.keyset import batches
from app.core.labels import label
from app.core.money import yuan_to_fen
from app.core.pagination import PageQuery, paginate
from app.core.validation import validate
from app.exports.workbook import COUNT, TIME, Column, SheetFile
from app.extensions import db
from app.marketing import coupon_templates as templates_service
from app.marketing.coupon_centre import centre_templates
from app.marketing.coupon_models import COUPON_KIND_LABELS, COUPON_STATUS_LABELS, Coupon, CouponTemplate
from app.marketing.coupon_pricing import describe
from app.marketing.coupon_settings import coupon_settings, save_coupon_settings
from app.members.models import MemberLevel
from app.orders.models import Order


def _ids(text: str) -> list[int]:
    return list(dict.fromkeys(int(part) for part in (text or "").replace(" ", "").split(",")
                              if part.isascii() and part.isdigit() and len(part) < 10))


def _chosen(model, column, ids: list[int]) -> list[dict]:
    names = dict(db.session.execute(select(model.id, column).where(model.id.in_(ids))).all()) if ids else {}
    return [{"id": row_id, "title": names.get(row_id, f"#{row_id}")} for row_id in ids]


EXPORT_LIMIT = 5000
EXPORT_COLUMNS = (Column(_l("Coupon name"), width=24), Column(_l("Kind")), Column(_l("What it gives"), width=24),
                  Column(_l("Applies to")), Column(_l("Issued"), COUNT, 10), Column(_l("Used"), COUNT, 10),
                  Column(_l("Expired"), COUNT, 10), Column(_l("Left"), width=10), Column(_l("Status")))


def _filtered_templates():
    kind, status = request.args.get("kind", ""), request.args.get("status", "")
    return kind, status, templates_service.search_templates(kind if kind in COUPON_KIND_LABELS else "",
                                                            status if status in ("enabled", "disabled") else "")


@bp.get("/marketing/coupons")
@area("marketing")
def coupon_templates():
    kind, status, statement = _filtered_templates()
    page = paginate(statement, validate(PageQuery, request.args.to_dict()), lambda template: template)
    return render_template("admin/marketing/coupon_list.html", page=page, kind=kind, status=status,
                           kinds=COUPON_KIND_LABELS, describe=describe)


@bp.get("/marketing/coupons/export.xlsx")
@area("marketing")
def coupon_export():
    """The filtered list as a spreadsheet, at once (a shop has tens of templates; capped), with
    the counts the list shows, kept as counters."""
    _kind, _status, statement = _filtered_templates()
    sheet = SheetFile(_("Coupons"), EXPORT_COLUMNS)
    for template in db.session.scalars(statement.limit(EXPORT_LIMIT)):
        sheet.append([template.name, label(template.kind, "CouponKind"), describe(template),
                      label(template.scope, "CouponScope"), template.issued, template.used, template.expired,
                      _("Unlimited") if template.total is None else str(template.left),
                      _("Enabled") if template.enabled else _("Disabled")])
    return send_file(sheet.save(), as_attachment=True, download_name="coupons.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def _yuan_field(field, *, required: bool = True) -> int | None:
    text = (field.data or "").strip()
    if not text and not required:
        return None
    try:
        return yuan_to_fen(text or "0")
    except ValueError:
        field.errors.append(_("Enter an amount like 12.50."))
        return 0


def _date_field(field) -> date | None:
    text = (field.data or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        field.errors.append(_("Enter a date like 2026-12-31."))
        return None


def _form_values(form: CouponTemplateForm) -> dict:
    try:
        rate_bp = int(Decimal(form.rate.data.strip()) * 1000) if (form.rate.data or "").strip() else 10_000
    except InvalidOperation:
        form.rate.errors.append(_("Enter a number like 9.5."))
        rate_bp = 10_000
    start, end = _date_field(form.valid_from), _date_field(form.valid_until)
    return {
        "name": form.name.data.strip(), "kind": form.kind.data, "threshold_fen": _yuan_field(form.threshold),
        "amount_fen": _yuan_field(form.amount), "rate_bp": rate_bp, "cap_fen": _yuan_field(form.cap, required=False),
        "scope": form.scope.data, "product_ids": _ids(form.product_ids.data),
        "category_ids": _ids(form.category_ids.data), "validity": form.validity.data,
        "valid_from": day_start_utc(start) if start else None,
        "valid_until": day_start_utc(end + timedelta(days=1)) if end else None,
        "valid_days": form.valid_days.data or 0, "total": form.total.data, "per_user_limit": form.per_user_limit.data,
        "per_user_daily_limit": form.per_user_daily_limit.data,
        "stacks_with_full_reduction": form.stacks_with_full_reduction.data, "enabled": form.enabled.data,
        "points_price": form.points_price.data or 0, "in_centre": form.in_centre.data,
    }


def _fill(form: CouponTemplateForm, template: CouponTemplate) -> None:
    form.name.data, form.kind.data, form.scope.data = template.name, template.kind, template.scope
    form.threshold.data, form.amount.data = f"{template.threshold_fen / 100:.2f}", f"{template.amount_fen / 100:.2f}"
    form.rate.data = f"{template.rate_bp / 1000:g}" if template.rate_bp < 10_000 else ""
    form.cap.data = f"{template.cap_fen / 100:.2f}" if template.cap_fen is not None else ""
    form.product_ids.data = ",".join(str(i) for i in template.product_ids or [])
    form.category_ids.data = ",".join(str(i) for i in template.category_ids or [])
    form.validity.data, form.valid_days.data = template.validity, template.valid_days
    form.valid_from.data = to_beijing(template.valid_from).date().isoformat() if template.valid_from else ""
    form.valid_until.data = (to_beijing(template.valid_until) - timedelta(days=1)).date().isoformat() \
        if template.valid_until else ""
    for name in ("total", "per_user_limit", "per_user_daily_limit", "stacks_with_full_reduction", "enabled",
                 "points_price", "in_centre"):
        getattr(form, name).data = getattr(template, name)


@bp.route("/marketing/coupons/new", methods=["GET", "POST"])
@bp.route("/marketing/coupons/<int:template_id>/edit", methods=["GET", "POST"])
@area("marketing")
def coupon_template_edit(template_id: int | None = None):
    template = db.get_or_404(CouponTemplate, template_id) if template_id else None
    form = CouponTemplateForm()
    if request.method == "GET" and template is not None:
        _fill(form, template)
    if form.validate_on_submit():
        values = _form_values(form)
        if not any(field.errors for field in form):
            try:
                saved = templates_service.save_template(actor(), template, values)
            except DomainError as refusal:
                db.session.rollback()
                mapping = {"threshold_fen": form.threshold, "amount_fen": form.amount, "rate_bp": form.rate,
                           "product_ids": form.scope, "category_ids": form.scope}
                for name, message in (refusal.fields or {}).items():
                    getattr(form, name, mapping.get(name, form.name)).errors.append(message)
            else:
                db.session.commit()
                flash(_("Saved."), "success")
                return redirect(url_for("admin.coupon_template_detail", template_id=saved.id))
    return render_template("admin/marketing/coupon_form.html", form=form, template=template,
                           chosen_products=_chosen(Product, Product.title, _ids(form.product_ids.data)),
                           chosen_categories=_chosen(Category, Category.name, _ids(form.category_ids.data)))


def _centre_page(status: int = 200):
    rows = [{"id": template.id, "name": template.name, "kind": label(template.kind, "CouponKind"),
             "gives": describe(template), "left": _("Unlimited") if template.total is None else str(template.left)}
            for template in centre_templates()]
    return render_template("admin/marketing/coupon_centre_order.html", rows=rows), status


@bp.get("/marketing/coupon-centre")
@area("marketing")
def coupon_centre_order():
    """The coupons the shopper's centre shows, in its order, to drag into another."""
    return _centre_page()


@bp.post("/marketing/coupon-centre")
@area("marketing")
def coupon_centre_order_save():
    posted = request.form.getlist("template_ids")
    try:
        if not all(part.isascii() and part.isdigit() and len(part) < 10 for part in posted):
            raise ValidationError(_("The coupon centre has changed since this page was opened: here is its "
                                    "current order."), code="coupon_centre_changed")
        templates_service.order_centre(actor(), [int(part) for part in posted])
    except DomainError as refusal:
        db.session.rollback()
        flash(_("The order was not saved. %(reason)s", reason=refusal.message), "danger")
        return _centre_page(refusal.status)
    db.session.commit()
    flash(_("Saved. The coupon centre shows its coupons in this order."), "success")
    return redirect(url_for("admin.coupon_centre_order"))


@bp.get("/marketing/coupons/<int:template_id>")
@area("marketing")
def coupon_template_detail(template_id: int):
    template = db.get_or_404(CouponTemplate, template_id)
    status = request.args.get("status", "")
    page = paginate(templates_service.template_coupons(template.id, status if status in COUPON_STATUS_LABELS else ""),
                    validate(PageQuery, request.args.to_dict()), lambda coupon: coupon)
    send_form = CouponSendForm()
    send_form.request_key.data = secrets.token_hex(8)
    send_form.level_id.choices = [("", _("None"))] + [
        (str(level.id), level.name) for level in db.session.scalars(select(MemberLevel).order_by(MemberLevel.id))]
    names, order_numbers = _holders_and_orders(page["items"])
    return render_template("admin/marketing/coupon_detail.html", template=template, page=page, status=status,
                           statuses=COUPON_STATUS_LABELS, describe=describe, send_form=send_form, names=names,
                           order_numbers=order_numbers)


def _holders_and_orders(coupons: list[Coupon]) -> tuple[dict[int, str], dict[int, str]]:
    """The holders' nicknames and the order numbers of these coupons, two queries a page."""
    user_ids = {coupon.user_id for coupon in coupons}
    order_ids = {coupon.order_id for coupon in coupons if coupon.order_id}
    names = dict(db.session.execute(select(User.id, User.nickname).where(User.id.in_(user_ids))).all()) \
        if user_ids else {}
    numbers = dict(db.session.execute(select(Order.id, Order.order_no).where(Order.id.in_(order_ids))).all()) \
        if order_ids else {}
    return names, numbers


HELD_EXPORT_LIMIT = 50_000
HELD_EXPORT_BATCH = 2_000
HELD_EXPORT_COLUMNS = (Column(_l("Coupon number"), COUNT, 12), Column(_l("Member"), width=18),
                       Column(_l("Member ID"), COUNT, 10), Column(_l("How it was received"), width=16),
                       Column(_l("Status")), Column(_l("Order number"), width=24), Column(_l("Valid from"), TIME, 20),
                       Column(_l("Valid until"), TIME, 20), Column(_l("Used at"), TIME, 20))


def _beijing(moment):
    return to_beijing(moment).replace(tzinfo=None) if moment else None


@bp.get("/marketing/coupons/<int:template_id>/export.xlsx")
@area("marketing")
def coupon_holders_export(template_id: int):
    """The coupons of one template as the detail page filters them, newest first, read in
    batches down (template_id, id) and capped (a coupon sent to a whole level can be held by
    hundreds of thousands; the last row says when the cap cut the list)."""
    template = db.get_or_404(CouponTemplate, template_id)
    status = request.args.get("status", "")
    statement = templates_service.template_coupons(template.id, status if status in COUPON_STATUS_LABELS else "")
    sheet = SheetFile(template.name[:31] or _("Coupons"), HELD_EXPORT_COLUMNS)
    written = 0
    for coupons in batches(statement, HELD_EXPORT_BATCH, HELD_EXPORT_LIMIT + 1):
        names, order_numbers = _holders_and_orders(coupons)
        for coupon in coupons[:HELD_EXPORT_LIMIT - written]:
            sheet.append([coupon.id, names.get(coupon.user_id, ""), coupon.user_id,
                          label(coupon.source, "CouponSource"), label(coupon.status, "CouponStatus"),
                          order_numbers.get(coupon.order_id, ""),
                          _beijing(coupon.valid_from), _beijing(coupon.valid_until), _beijing(coupon.used_at)])
        written += len(coupons)
    if written > HELD_EXPORT_LIMIT:
        sheet.append([None, _("Only the newest %(n)s coupons are exported: filter by status.",
                              n=f"{HELD_EXPORT_LIMIT:,}")] + [None] * 7)
    return send_file(sheet.save(), as_attachment=True, download_name=f"coupon-{template.id}.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@bp.post("/marketing/coupons/<int:template_id>/send")
@area("marketing")
def coupon_template_send(template_id: int):
    template = db.get_or_404(CouponTemplate, template_id)
    form = CouponSendForm()
    form.level_id.choices = []
    if not form.validate_on_submit():
        flash(_("Please try again."), "danger")
        return redirect(url_for("admin.coupon_template_detail", template_id=template.id))
    user_ids = _ids(form.user_ids.data)
    if (form.level_id.data or "").isdigit():
        user_ids += templates_service.level_members(int(form.level_id.data))
    if not user_ids:
        flash(_("Choose members or a level first."), "warning")
        return redirect(url_for("admin.coupon_template_detail", template_id=template.id))
    request_key = form.request_key.data or secrets.token_hex(8)
    given, refused = templates_service.send(actor(), template.id, user_ids, request_key)
    db.session.commit()
    flash(_("%(given)s sent, %(refused)s not (limit reached or all given out).", given=given, refused=len(refused)),
          "success" if not refused else "warning")
    return redirect(url_for("admin.coupon_template_detail", template_id=template.id))


@bp.route("/marketing/new-user-pack", methods=["GET", "POST"])
@area("marketing")
def new_user_pack():
    settings = coupon_settings()
    templates = list(db.session.scalars(select(CouponTemplate).where(CouponTemplate.enabled.is_(True))
                                        .order_by(CouponTemplate.id.desc()).limit(200)))
    choices = [("", _("None"))] + [(str(template.id), f"{template.name} · {describe(template)}")
                                   for template in templates]
    form = CouponGiftSettingsForm()
    form.invitee_template_id.choices = form.order_gift_template_id.choices = choices
    if request.method == "GET":
        form.invitee_template_id.data = str(settings.invitee_template_id or "")
        form.order_gift_template_id.data = str(settings.order_gift_template_id or "")
        form.order_gift_threshold.data = f"{settings.order_gift_threshold_fen / 100:.2f}"
        form.return_on_full_refund.data = settings.return_on_full_refund
    chosen = list(settings.new_user_template_ids or [])
    if form.validate_on_submit():
        known = {template.id for template in templates}
        chosen = [template_id for template_id in _ids(",".join(request.form.getlist("new_user_template_ids")))
                  if template_id in known]
        threshold = _yuan_field(form.order_gift_threshold)
        if not form.order_gift_threshold.errors:
            save_coupon_settings(actor(), {
                "new_user_template_ids": chosen, "return_on_full_refund": form.return_on_full_refund.data,
                "invitee_template_id": _known(form.invitee_template_id.data, known),
                "order_gift_template_id": _known(form.order_gift_template_id.data, known),
                "order_gift_threshold_fen": threshold})
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("admin.new_user_pack"))
    return render_template("admin/marketing/new_user_pack.html", form=form, templates=templates, chosen=chosen,
                           describe=describe)


def _known(text: str | None, known: set[int]) -> int | None:
    return int(text) if text and text.isdigit() and int(text) in known else None
