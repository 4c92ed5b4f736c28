"""Marketing: the points rules and the sign-in rules, with the latest sign-ins."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask import flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.accounts.models import User
from app.admin import bp
from app.admin.points_forms import STREAK_REWARD_ROWS, PointsRulesForm, SignInRulesForm
from app.admin.security import actor, area
from app.core.china_time import to_beijing
from app.core.errors import DomainError
from app.core.keyset import batches
from app.core.pagination import PageQuery, paginate
from app.core.validation import validate
from app.exports.workbook import COUNT, TIME, Column, SheetFile
from app.extensions import db
from app.marketing import points_rules, sign_in

POINTS_FIELD_OF = {"min_order_fen": "min_order"}
SIGN_IN_EXPORT_LIMIT = 20_000
SIGN_IN_BATCH = 2_000
SIGN_IN_COLUMNS = (Column(_l("Member")), Column(_l("Member ID"), COUNT, 10), Column(_l("Sign-in day"), width=12),
                   Column(_l("Streak (days)"), COUNT, 10), Column(_l("Points"), COUNT, 10),
                   Column(_l("Signed in at"), TIME, 20))


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
    criteria = _sign_in_filter()
    page = paginate(sign_in.sign_in_list(**criteria), validate(PageQuery, request.args.to_dict()), lambda row: row)
    member_id = criteria["user_id"]
    names = _nicknames({row.user_id for row in page["items"]} | ({member_id} if member_id else set()))
    return render_template("admin/marketing/sign_in.html", form=form, page=page, names=names, member_id=member_id,
                           since=request.args.get("since", "") if criteria["since"] else "",
                           until=request.args.get("until", "") if criteria["until"] else "")


def _day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _sign_in_filter() -> dict:
    """The sign-in list's filters (member, Beijing days `since`..`until` included); what cannot
    be read is ignored, as on the order list."""
    return {"user_id": request.args.get("user_id", type=int), "since": _day(request.args.get("since")),
            "until": _day(request.args.get("until"))}


def _nicknames(user_ids: set[int]) -> dict[int, str]:
    return dict(db.session.execute(select(User.id, User.nickname).where(User.id.in_(user_ids))).all()) \
        if user_ids else {}


@bp.get("/marketing/sign-in/export.xlsx")
@area("marketing")
def sign_in_export():
    """The filtered sign-ins as a spreadsheet, at once, newest first, read in batches down the
    list's index and capped (a busy shop signs in tens of thousands a day: the merchant narrows
    the days or picks a member; the last row says when the cap cut the list)."""
    statement = sign_in.sign_in_list(**_sign_in_filter())
    sheet = SheetFile(_("Sign-ins"), SIGN_IN_COLUMNS)
    written = 0
    for rows in batches(statement, SIGN_IN_BATCH, SIGN_IN_EXPORT_LIMIT + 1):
        names = _nicknames({row.user_id for row in rows})
        for row in rows[:SIGN_IN_EXPORT_LIMIT - written]:
            sheet.append([names.get(row.user_id, ""), row.user_id, row.day.isoformat(), row.streak, row.points,
                          to_beijing(row.created_at).replace(tzinfo=None)])
        written += len(rows)
    if written > SIGN_IN_EXPORT_LIMIT:
        sheet.append([_("Only the newest %(n)s sign-ins are exported: choose fewer days or one member.",
                        n=f"{SIGN_IN_EXPORT_LIMIT:,}"), None, None, None, None, None])
    return send_file(sheet.save(), as_attachment=True, download_name="sign-ins.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
