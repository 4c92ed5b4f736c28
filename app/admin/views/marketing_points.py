"""Marketing: the points rules and the sign-in rules, with the latest sign-ins."""

from __future__ import annotations

from decimal import Decimal

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import User
from app.admin import bp
from app.admin.points_forms import STREAK_REWARD_ROWS, PointsRulesForm, SignInRulesForm
from app.admin.security import actor, area
from app.core.errors import DomainError
from app.core.pagination import PageQuery, paginate
from app.core.validation import validate
from app.extensions import db
from app.marketing import points_rules, sign_in
from app.marketing.points_models import SignIn

POINTS_FIELD_OF = {"min_order_fen": "min_order"}


@bp.route("/marketing/points", methods=["GET", "POST"], endpoint="points_rules")
@area("marketing")
def points_rules_page():
    row = points_rules.current()
    values = {**points_rules.snapshot(row), "min_order": Decimal(row.min_order_fen) / 100}
    form = PointsRulesForm(data=None if request.method == "POST" else values)
    if form.validate_on_submit():
        changes = {field: getattr(form, field).data for field in points_rules.EDITABLE if field != "min_order_fen"}
        changes["min_order_fen"] = int(form.min_order.data * 100)
        try:
            points_rules.update(actor(), changes)
        except DomainError as refusal:
            db.session.rollback()
            for name, message in refusal.fields.items():
                getattr(form, POINTS_FIELD_OF.get(name, name)).errors.append(message)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("admin.points_rules"))
    return render_template("admin/marketing/points_rules.html", form=form)


def _rule_values(rules) -> dict:
    rewards = list(rules.streak_rewards) + [{"day": None, "points": None}] * STREAK_REWARD_ROWS
    return {"enabled": rules.enabled, "base_points": rules.base_points,
            "streak_rewards": rewards[:STREAK_REWARD_ROWS]}


@bp.route("/marketing/sign-in", methods=["GET", "POST"], endpoint="sign_in_rules")
@area("marketing")
def sign_in_rules_page():
    form = SignInRulesForm(data=None if request.method == "POST" else _rule_values(sign_in.rules_in_force()))
    if form.validate_on_submit():
        rewards = [{"day": entry.form.day.data, "points": entry.form.points.data} for entry in form.streak_rewards
                   if entry.form.day.data is not None or entry.form.points.data is not None]
        try:
            sign_in.save_rules(actor(), enabled=form.enabled.data, base_points=form.base_points.data,
                               streak_rewards=rewards)
        except DomainError as refusal:
            db.session.rollback()
            flash(" ".join(refusal.fields.values()) or refusal.message, "danger")
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("admin.sign_in_rules"))
    member_id = request.args.get("user_id", type=int)
    statement = select(SignIn).order_by(SignIn.id.desc())
    if member_id:  # one member's sign-ins: a range of the (user_id, day) index
        statement = statement.where(SignIn.user_id == member_id)
    page = paginate(statement, validate(PageQuery, request.args.to_dict()), lambda row: row)
    user_ids = {row.user_id for row in page["items"]} | ({member_id} if member_id else set())
    names = dict(db.session.execute(select(User.id, User.nickname).where(User.id.in_(user_ids))).all()) \
        if user_ids else {}
    return render_template("admin/marketing/sign_in.html", form=form, page=page, names=names, member_id=member_id)
