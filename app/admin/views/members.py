"""Members: list and search, a detail page with balance and points adjustments, the member's
level, growth and level changes; levels and the growth rules."""

from __future__ import annotations

import secrets
from decimal import Decimal, InvalidOperation

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import User
from app.admin import bp
from app.admin.forms import AdjustmentForm, GrowthRulesForm, LevelForm
from app.admin.security import actor, area
from app.core.errors import DomainError, ValidationError
from app.core.money import yuan_to_fen
from app.core.pagination import PageQuery, paginate
from app.core.validation import validate
from app.distribution import binding
from app.distribution import settings as distribution_settings
from app.extensions import db
from app.marketing import coupon_templates
from app.members import growth_settings
from app.members import queries as member_growth_queries
from app.members import services as members
from app.members.models import BalanceEntry, MemberLevel, PointsEntry
from app.orders.queries import OrderFilter, count_by_status, search_orders
from app.orders.states import ORDER_STATUS_LABELS


@bp.get("/members")
@area("members")
def member_list():
    keyword = request.args.get("q", "").strip()
    sort = request.args.get("sort", "newest")
    page = paginate(members.search_members(keyword or None, sort), validate(PageQuery, request.args.to_dict()),
                    lambda user: user)
    wallets = members.wallets_of([user.id for user in page["items"]])
    page["items"] = [(user, wallets[user.id]) for user in page["items"]]
    return render_template("admin/member_list.html", page=page, keyword=keyword, sort=sort,
                           sorts=members.MEMBER_SORTS)


def _detail(user: User, balance_form: AdjustmentForm, points_form: AdjustmentForm, status: int = 200,
            level_error: str | None = None):
    for form in (balance_form, points_form):
        form.request_key.data = secrets.token_hex(16)  # a fresh key per rendering of the form
    balance_entries = db.session.scalars(select(BalanceEntry).where(BalanceEntry.user_id == user.id)
                                         .order_by(BalanceEntry.id.desc()).limit(50)).all()
    points_entries = db.session.scalars(select(PointsEntry).where(PointsEntry.user_id == user.id)
                                        .order_by(PointsEntry.id.desc()).limit(50)).all()
    growth_entries = db.session.scalars(member_growth_queries.entries(user.id).limit(20)).all()
    level_changes = db.session.scalars(member_growth_queries.level_changes(user.id).limit(20)).all()
    criteria = OrderFilter(user_id=user.id)
    recent_orders = db.session.scalars(search_orders(criteria).limit(10)).all()
    distribution_on = distribution_settings.current().enabled
    bound = binding.binding_of(user.id) if distribution_on else None
    referrer = db.session.get(User, bound.referrer_user_id) if bound else None
    return render_template("admin/member_detail.html", member=user, wallet=members.wallet_of(user.id),
                           distribution_on=distribution_on, referrer=referrer, bound=bound,
                           balance_form=balance_form, points_form=points_form,
                           balance_entries=balance_entries, points_entries=points_entries,
                           growth_entries=growth_entries, level_changes=level_changes,
                           recent_orders=recent_orders, order_counts=count_by_status(criteria),
                           status_labels=ORDER_STATUS_LABELS, levels=_levels(), level_error=level_error), status


def _levels() -> list[MemberLevel]:
    """Reached by growth first, lowest first; then the levels given by hand."""
    return db.session.scalars(select(MemberLevel).order_by(MemberLevel.growth_threshold.is_(None),
                                                           MemberLevel.growth_threshold, MemberLevel.id)).all()


@bp.get("/members/<int:user_id>")
@area("members")
def member_detail(user_id: int):
    user = db.get_or_404(User, user_id)
    return _detail(user, AdjustmentForm(prefix="balance"), AdjustmentForm(prefix="points"))


@bp.post("/members/<int:user_id>/balance")
@area("members")
def member_adjust_balance(user_id: int):
    return _adjust(user_id, "balance")


@bp.post("/members/<int:user_id>/points")
@area("members")
def member_adjust_points(user_id: int):
    return _adjust(user_id, "points")


def _adjust(user_id: int, what: str):
    user = db.get_or_404(User, user_id)
    forms = {"balance": AdjustmentForm(prefix="balance"), "points": AdjustmentForm(prefix="points")}
    form = forms[what]
    if form.validate():
        try:
            amount = _parse_amount(form.amount.data, what)
            delta = amount if form.direction.data == "add" else -amount
            key = form.request_key.data or secrets.token_hex(16)
            if what == "balance":
                members.adjust_balance(actor(), user.id, delta, form.reason.data, key)
            else:
                members.adjust_points(actor(), user.id, delta, form.reason.data, key)
        except DomainError as refusal:
            db.session.rollback()
            for name, message in (refusal.fields or {"amount": refusal.message}).items():
                getattr(form, name, form.amount).errors.append(message)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("admin.member_detail", user_id=user.id))
    return _detail(user, forms["balance"], forms["points"], status=422)


def _parse_amount(text: str, what: str) -> int:
    try:
        if what == "balance":
            value = yuan_to_fen(text)
        else:
            value = int(Decimal(text.strip()))
            if Decimal(text.strip()) != value:
                raise ValueError(text)
    except (ValueError, InvalidOperation) as exc:
        raise DomainError(_("Enter an amount like 12.50."), fields={"amount": _("Enter an amount like 12.50.")}) \
            from exc
    if value <= 0:
        message = _("Must be greater than %(n)s.", n=0)
        raise DomainError(message, fields={"amount": message})
    return value


@bp.post("/members/<int:user_id>/status")
@area("members")
def member_toggle(user_id: int):
    user = db.get_or_404(User, user_id)
    members.set_disabled(actor(), user, request.form.get("disabled") == "1")
    db.session.commit()
    flash(_("Saved."), "success")
    return redirect(url_for("admin.member_detail", user_id=user.id))


@bp.post("/members/<int:user_id>/level")
@area("members")
def member_set_level(user_id: int):
    """The level select on the member page: a level's id, or empty for none (the regular price)."""
    user = db.get_or_404(User, user_id)
    chosen = request.form.get("level_id", "")
    try:
        if chosen and not (chosen.isascii() and chosen.isdigit()):
            raise ValidationError(_("Some fields are invalid."), fields={"level_id": _("This level does not exist.")})
        members.set_level(actor(), user.id, int(chosen) if chosen else None)
    except DomainError as refusal:
        db.session.rollback()
        message = (refusal.fields or {}).get("level_id", refusal.message)
        return _detail(user, AdjustmentForm(prefix="balance"), AdjustmentForm(prefix="points"), status=422,
                       level_error=message)
    db.session.commit()
    flash(_("Saved."), "success")
    return redirect(url_for("admin.member_detail", user_id=user.id))


@bp.get("/members/levels")
@area("members")
def level_list():
    rules = growth_settings.current()
    form = GrowthRulesForm(data={"per_yuan": rules.per_yuan, "per_sign_in": rules.per_sign_in,
                                 "yearly_downgrade": rules.yearly_downgrade})
    return _level_list(form)


def _level_list(form: GrowthRulesForm, status: int = 200):
    return render_template("admin/level_list.html", levels=_levels(), rules_form=form), status


@bp.post("/members/levels/growth-rules")
@area("members")
def growth_rules():
    """The growth rules under the levels: growth per yuan and per sign-in, the yearly review."""
    form = GrowthRulesForm()
    if form.validate():
        try:
            growth_settings.save(actor(), per_yuan=form.per_yuan.data, per_sign_in=form.per_sign_in.data,
                                 yearly_downgrade=form.yearly_downgrade.data)
        except DomainError as refusal:
            db.session.rollback()
            for name, message in (refusal.fields or {}).items():
                getattr(form, name, form.per_yuan).errors.append(message)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("admin.level_list"))
    return _level_list(form, status=422)


@bp.route("/members/levels/new", methods=["GET", "POST"])
@bp.route("/members/levels/<int:level_id>", methods=["GET", "POST"])
@area("members")
def level_edit(level_id: int | None = None):
    level = db.get_or_404(MemberLevel, level_id) if level_id else None
    form = LevelForm()
    form.monthly_coupon.choices = [("", _("None"))] + [
        (str(template.id), template.name) for template in coupon_templates.giftable_templates(
            level.monthly_coupon_template_id if level else None)]
    if request.method == "GET" and level is not None:
        form.monthly_coupon.data = str(level.monthly_coupon_template_id or "")
        form.badge_url.data = level.badge_url
        form.name.data, form.benefits.data, form.free_shipping.data = level.name, level.benefits, level.free_shipping
        form.growth_threshold.data = "" if level.growth_threshold is None else str(level.growth_threshold)
        form.discount.data = f"{level.discount_bp / 1000:g}"
        form.points_multiplier.data = f"{level.points_multiplier_bp / 10_000:g}"
    elif request.method == "GET":
        form.points_multiplier.data = "1"
    if form.validate_on_submit():
        fields = _level_fields(form, level)
        if fields is not None:
            try:
                members.save_level(actor(), level, fields)
            except DomainError as refusal:
                db.session.rollback()
                mapping = {"growth_threshold": form.growth_threshold, "discount": form.discount,
                           "badge_url": form.badge_url,
                           "points_multiplier": form.points_multiplier, "name": form.name}
                for name, message in refusal.fields.items():
                    mapping.get(name, form.name).errors.append(message)
            else:
                db.session.commit()
                flash(_("Saved."), "success")
                return redirect(url_for("admin.level_list"))
    return render_template("admin/level_form.html", form=form, level=level)


def _level_fields(form: LevelForm, level: MemberLevel | None) -> members.LevelFields | None:
    """The form's numbers, or None with the errors put next to the fields that are not numbers."""
    threshold_text = (form.growth_threshold.data or "").strip()
    threshold = None
    if threshold_text:
        if threshold_text.isascii() and threshold_text.isdigit():
            threshold = int(threshold_text)
        else:
            form.growth_threshold.errors.append(_("Enter a whole number, or leave it empty."))
    discount_bp = _rate(form.discount, 1000, _("Enter a number like 9.5."))
    multiplier_bp = _rate(form.points_multiplier, 10_000, _("Enter a number like 1.5."))
    if form.growth_threshold.errors or discount_bp is None or multiplier_bp is None:
        return None
    return members.LevelFields(name=form.name.data.strip(), growth_threshold=threshold, discount_bp=discount_bp,
                               points_multiplier_bp=multiplier_bp, free_shipping=form.free_shipping.data,
                               monthly_coupon_template_id=int(form.monthly_coupon.data) if form.monthly_coupon.data
                               else None,
                               benefits=form.benefits.data or "", badge_url=(form.badge_url.data or "").strip())


def _rate(field, scale: int, message: str) -> int | None:
    try:
        value = Decimal(field.data.strip()) * scale
        if value != value.to_integral_value() or not value.is_finite():
            raise InvalidOperation(field.data)
        return int(value)
    except InvalidOperation:
        field.errors.append(message)
        return None


@bp.get("/members/<int:user_id>/growth")
@area("members")
def member_growth(user_id: int):
    """A member's whole growth ledger, newest first, in keyset pages."""
    user = db.get_or_404(User, user_id)
    page = paginate(member_growth_queries.entries(user.id), validate(PageQuery, request.args.to_dict()),
                    lambda entry: entry)
    return render_template("admin/member_growth.html", member=user, wallet=members.wallet_of(user.id), page=page)
