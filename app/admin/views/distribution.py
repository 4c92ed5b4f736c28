"""Distribution console: settings, agents (appoint, disable, re-enable, remove) with their
team sizes and accounts, and the per-level commission of an order (who, rule, base, rate,
amount, status — or why nothing)."""

from __future__ import annotations

from decimal import Decimal

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.admin import bp
from app.admin.distribution_forms import AppointForm, DistributionSettingsForm
from app.admin.security import actor, area
from app.core.errors import DomainError
from app.core.pagination import PageQuery, paginate
from app.core.validation import validate
from app.distribution import agent_listing, agents, settings
from app.distribution.explain import explain
from app.distribution.settings_models import AgentLevel
from app.extensions import db
from app.orders.models import Order

FIELD_OF = {"rate1_bp": "rate1", "rate2_bp": "rate2", "rate3_bp": "rate3", "become_spend_fen": "become_spend",
            "withdraw_min_fen": "withdraw_min", "withdraw_max_fen": "withdraw_max", "withdraw_fee_bp": "withdraw_fee",
            "withdraw_auto_below_fen": "withdraw_auto_below"}


def _hundredths(value: Decimal | None) -> int:
    """12.34 (% or ¥) → 1234 (basis points or fen)."""
    return int((value or Decimal(0)) * 100)


def _form_values(row) -> dict:
    return {"enabled": row.enabled, "levels": row.levels, "rate1": Decimal(row.rate1_bp) / 100,
            "rate2": Decimal(row.rate2_bp) / 100, "rate3": Decimal(row.rate3_bp) / 100, "base": row.base,
            "self_purchase": row.self_purchase, "become_agent": row.become_agent,
            "become_product_ids": ", ".join(str(item) for item in row.become_product_ids),
            "become_spend": Decimal(row.become_spend_fen) / 100, "bind_eligibility": row.bind_eligibility,
            "bind_mode": row.bind_mode, "bind_days": row.bind_days, "freeze_days": row.freeze_days,
            "withdraw_methods": row.withdraw_methods, "withdraw_min": Decimal(row.withdraw_min_fen) / 100,
            "withdraw_max": Decimal(row.withdraw_max_fen) / 100, "withdraw_fee": Decimal(row.withdraw_fee_bp) / 100,
            "withdraw_daily_limit": row.withdraw_daily_limit,
            "withdraw_auto_below": Decimal(row.withdraw_auto_below_fen) / 100, "fan_points": row.fan_points,
            "fan_points_daily_cap": row.fan_points_daily_cap}


def _changes(form: DistributionSettingsForm) -> dict:
    ids = [int(part) for part in (form.become_product_ids.data or "").replace(" ", "").split(",") if part]
    return {"enabled": form.enabled.data, "levels": form.levels.data, "rate1_bp": _hundredths(form.rate1.data),
            "rate2_bp": _hundredths(form.rate2.data), "rate3_bp": _hundredths(form.rate3.data),
            "base": form.base.data, "self_purchase": form.self_purchase.data, "become_agent": form.become_agent.data,
            "become_product_ids": ids, "become_spend_fen": _hundredths(form.become_spend.data),
            "bind_eligibility": form.bind_eligibility.data, "bind_mode": form.bind_mode.data,
            "bind_days": form.bind_days.data, "freeze_days": form.freeze_days.data,
            "withdraw_methods": list(form.withdraw_methods.data or []),
            "withdraw_min_fen": _hundredths(form.withdraw_min.data),
            "withdraw_max_fen": _hundredths(form.withdraw_max.data),
            "withdraw_fee_bp": _hundredths(form.withdraw_fee.data),
            "withdraw_daily_limit": form.withdraw_daily_limit.data,
            "withdraw_auto_below_fen": _hundredths(form.withdraw_auto_below.data),
            "fan_points": form.fan_points.data, "fan_points_daily_cap": form.fan_points_daily_cap.data}


@bp.route("/distribution/settings", methods=["GET", "POST"])
@area("distribution")
def distribution_settings():
    row = settings.current()
    form = DistributionSettingsForm(data=None if request.method == "POST" else _form_values(row))
    if form.validate_on_submit():
        try:
            settings.save(actor(), **_changes(form))
        except DomainError as refusal:
            db.session.rollback()
            for name, message in refusal.fields.items():
                getattr(form, FIELD_OF.get(name, name)).errors.append(message)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("admin.distribution_settings"))
    db.session.commit()  # the defaults row, when it was just created
    return render_template("admin/distribution/settings.html", form=form)


@bp.get("/distribution/agents")
@area("distribution")
def agent_list():
    keyword = request.args.get("q", "").strip()
    status = request.args.get("status", "")
    page = paginate(agent_listing.agent_ids(keyword, status), validate(PageQuery, request.args.to_dict()),
                    lambda agent_id: agent_id)
    page["items"] = agent_listing.agent_rows(page["items"])
    level_names = dict(db.session.execute(select(AgentLevel.id, AgentLevel.name)).all())
    return render_template("admin/distribution/agents.html", page=page, keyword=keyword, status=status,
                           level_names=level_names, appoint_form=AppointForm())


@bp.post("/distribution/agents/appoint")
@area("distribution")
def agent_appoint():
    form = AppointForm()
    if not form.validate():
        flash(_("Choose a member first."), "danger")
        return redirect(url_for("admin.agent_list"))
    return _agent_action(form.user_id.data, agents.appoint, _("Appointed."))


@bp.post("/distribution/agents/<int:user_id>/disable")
@area("distribution")
def agent_disable(user_id: int):
    return _agent_action(user_id, agents.disable, _("Disabled."))


@bp.post("/distribution/agents/<int:user_id>/enable")
@area("distribution")
def agent_enable(user_id: int):
    return _agent_action(user_id, agents.enable, _("Re-enabled."))


@bp.post("/distribution/agents/<int:user_id>/remove")
@area("distribution")
def agent_remove(user_id: int):
    return _agent_action(user_id, agents.remove, _("Removed."))


def _agent_action(user_id: int, action, done: str):
    try:
        action(actor(), user_id)
    except DomainError as refusal:
        db.session.rollback()
        if refusal.status == 404:
            abort(404)
        flash(refusal.message, "danger")
    else:
        db.session.commit()
        flash(done, "success")
    if request.form.get("back") == "detail":
        return redirect(url_for("admin.agent_detail", user_id=user_id))
    return redirect(url_for("admin.agent_list"))


@bp.get("/distribution/orders/<int:order_id>")
@area("distribution")
def order_commission(order_id: int):
    order = db.get_or_404(Order, order_id)
    return render_template("admin/distribution/order_commission.html", order=order, items=explain(order.id))
