"""Flash sales (营销 → 秒杀场次, 秒杀): sessions (times of every Beijing day) and activities —
list with status filter, create and edit (Beijing days, chosen sessions, limits, and one row
per SKU of each picked product with its flash price in yuan and the stock set aside), stop
early. Every change goes through app.marketing.flash_sessions / flash_activities, which audit
it. The per-activity results page comes with the purchase path (orders exist then)."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.admin import bp
from app.admin.actions import save_activity
from app.admin.security import actor, area
from app.core.errors import DomainError
from app.core.models import utcnow
from app.core.money import fen_to_yuan, yuan_to_fen
from app.core.pagination import PageQuery, paginate_list
from app.core.validation import validate
from app.extensions import db
from app.marketing import flash_activities, flash_sessions
from app.marketing.flash_models import FlashActivity, FlashSession, FlashStatus
from app.marketing.flash_schedule import activity_window, beijing_today, status_of

# sessions


@bp.get("/marketing/flash-sessions", endpoint="flash_sessions")
@area("marketing")
def flash_session_list():
    return render_template("admin/marketing/flash_session_list.html", sessions=flash_sessions.session_list(),
                           clock=flash_sessions.clock)


def _minute(text: str) -> int | None:
    parts = text.strip().split(":")
    if len(parts) != 2 or not all(part.isdigit() and len(part) == 2 for part in parts):
        return None
    hours, minutes = int(parts[0]), int(parts[1])
    return hours * 60 + minutes if hours < 24 and minutes < 60 else None


def _whole(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 6 else None


@bp.route("/marketing/flash-sessions/new", methods=["GET", "POST"], endpoint="flash_session_new")
@bp.route("/marketing/flash-sessions/<int:flash_session_id>", methods=["GET", "POST"])
@area("marketing")
def flash_session_edit(flash_session_id: int | None = None):
    session = db.get_or_404(FlashSession, flash_session_id) if flash_session_id else None
    errors: dict[str, str] = {}
    if request.method == "POST":
        form = request.form
        values = {"name": form.get("name", ""), "start_minute": _minute(form.get("starts", "")),
                  "duration_minutes": _whole(form.get("duration_minutes", "")),
                  "is_enabled": form.get("is_enabled") == "1", "sort": _whole(form.get("sort", "")) or 0}
        try:
            if session is None:
                flash_sessions.create_session(actor(), values)
            else:
                flash_sessions.update_session(actor(), session, values)
        except DomainError as refusal:
            db.session.rollback()
            errors = {{"start_minute": "starts"}.get(key, key): message for key, message in refusal.fields.items()} \
                or {"name": refusal.message}
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("admin.flash_sessions"))
        shown = {"name": form.get("name", ""), "starts": form.get("starts", ""),
                 "duration_minutes": form.get("duration_minutes", ""), "is_enabled": form.get("is_enabled") == "1",
                 "sort": form.get("sort", "")}
    elif session is not None:
        shown = {"name": session.name, "starts": flash_sessions.clock(session.start_minute),
                 "duration_minutes": session.duration_minutes, "is_enabled": session.is_enabled,
                 "sort": session.sort}
    else:
        shown = {"name": "", "starts": "10:00", "duration_minutes": 120, "is_enabled": True, "sort": 0}
    return render_template("admin/marketing/flash_session_form.html", session=session, form=shown,
                           errors=errors), (422 if errors else 200)


@bp.post("/marketing/flash-sessions/<int:flash_session_id>/delete")
@area("marketing")
def flash_session_delete(flash_session_id: int):
    session = db.get_or_404(FlashSession, flash_session_id)
    try:
        flash_sessions.delete_session(actor(), session)
    except DomainError as refusal:
        db.session.rollback()
        flash(refusal.message, "danger")
    else:
        db.session.commit()
        flash(_("Session deleted."), "success")
    return redirect(url_for("admin.flash_sessions"))


# activities


@bp.get("/marketing/flash-sales", endpoint="flash_sales")
@area("marketing")
def flash_sale_list():
    status = request.args.get("status", "")
    now = utcnow()
    activities = flash_activities.activity_list(status=status, now=now)
    page = paginate_list(activities, validate(PageQuery, request.args.to_dict()))
    sessions = flash_activities.sessions_by_id()
    return render_template("admin/marketing/flash_sale_list.html", page=page, status=status,
                           statuses=list(FlashStatus), now=now, sessions=sessions,
                           status_of=lambda row: status_of(row, now, sessions),
                           window=lambda row: activity_window(row, sessions))


def _day(form, key: str, errors: dict[str, str]) -> date | None:
    text = form.get(key, "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        errors[key] = _("Enter a date.")
        return None


def _product_ids(form) -> list[int]:
    return [int(part) for part in form.get("product_ids", "").replace(" ", "").split(",")
            if part.isascii() and part.isdigit() and len(part) < 10]


def parse(form, products) -> tuple[dict[str, Any], dict[str, str]]:
    """The form as the service's values; a SKU row with both inputs empty is skipped."""
    errors: dict[str, str] = {}
    items = []
    for product in products:
        for sku in product.skus:
            price_text = form.get(f"sku-{sku.id}-price", "").strip()
            stock_text = form.get(f"sku-{sku.id}-stock", "").strip()
            if not price_text and not stock_text:
                continue
            price = None
            try:
                price = yuan_to_fen(price_text) if price_text else None
            except ValueError:
                errors[f"sku-{sku.id}-price"] = _("Enter an amount in yuan, e.g. 12.50.")
            stock = _whole(stock_text)
            if stock_text and stock is None:
                errors[f"sku-{sku.id}-stock"] = _("Enter a whole number.")
            items.append({"sku_id": sku.id, "flash_price_fen": price, "stock": stock})
    values = {"name": form.get("name", ""), "first_day": _day(form, "first_day", errors),
              "last_day": _day(form, "last_day", errors), "session_ids": form.getlist("session_ids"),
              "limit_per_session": form.get("limit_per_session", ""),
              "limit_per_activity": form.get("limit_per_activity", ""), "pay_minutes": form.get("pay_minutes", ""),
              "pays_commission": form.get("pays_commission") == "1", "stacks": form.get("stacks") == "1",
              "items": items}
    return values, errors


def _form_errors(fields: dict[str, str]) -> dict[str, str]:
    """Service field names (items.12.price) as form field names (sku-12-price)."""
    out = {}
    for key, message in fields.items():
        parts = key.split(".")
        out[f"sku-{parts[1]}-{parts[2]}" if len(parts) == 3 and parts[0] == "items" else key] = message
    return out


def _form_from(activity: FlashActivity | None) -> dict[str, Any]:
    if activity is None:
        today = beijing_today().isoformat()
        return {"name": "", "first_day": today, "last_day": today, "session_ids": [], "limit_per_session": "1",
                "limit_per_activity": "0", "pay_minutes": "5", "pays_commission": False, "stacks": False, "rows": {}}
    return {"name": activity.name, "first_day": activity.first_day.isoformat(),
            "last_day": activity.last_day.isoformat(), "session_ids": list(activity.session_ids or []),
            "limit_per_session": str(activity.limit_per_session),
            "limit_per_activity": str(activity.limit_per_activity), "pay_minutes": str(activity.pay_minutes),
            "pays_commission": activity.pays_commission, "stacks": activity.stacks,
            "rows": {item.sku_id: {"price": fen_to_yuan(item.flash_price_fen), "stock": str(item.stock),
                                   "sold": item.sold} for item in activity.items}}


def _form_from_request(form, activity: FlashActivity | None) -> dict[str, Any]:
    sold = {item.sku_id: item.sold for item in activity.items} if activity else {}
    rows = {}
    for key in form:
        parts = key.split("-")
        if len(parts) == 3 and parts[0] == "sku" and parts[1].isdigit() and parts[2] == "price":
            sku_id = int(parts[1])
            rows[sku_id] = {"price": form.get(key, ""), "stock": form.get(f"sku-{sku_id}-stock", ""),
                            "sold": sold.get(sku_id, 0)}
    return {**{key: form.get(key, "") for key in ("name", "first_day", "last_day", "limit_per_session",
                                                  "limit_per_activity", "pay_minutes")},
            "session_ids": [int(sid) for sid in form.getlist("session_ids") if sid.isdigit()],
            "pays_commission": form.get("pays_commission") == "1", "stacks": form.get("stacks") == "1",
            "rows": rows}


@bp.route("/marketing/flash-sales/new", methods=["GET", "POST"], endpoint="flash_sale_new")
@bp.route("/marketing/flash-sales/<int:activity_id>", methods=["GET", "POST"])
@area("marketing")
def flash_sale_edit(activity_id: int | None = None):
    activity = db.get_or_404(FlashActivity, activity_id) if activity_id else None
    closed = activity is not None and (activity.stopped_at is not None or activity.stock_returned_at is not None)
    errors: dict[str, str] = {}
    if request.method == "POST":
        products = flash_activities.chosen_products(activity, _product_ids(request.form))
        if request.form.get("refresh") != "1" and not closed:
            values, errors = parse(request.form, products)
            if not errors:
                errors = save_activity(activity, values, flash_activities.create_activity,
                                       flash_activities.update_activity, _form_errors)
                if not errors:
                    return redirect(url_for("admin.flash_sales"))
        form = _form_from_request(request.form, activity)
    else:
        products = flash_activities.chosen_products(activity, [])
        form = _form_from(activity)
    chosen = [{"id": product.id, "title": product.title} for product in products]
    return render_template("admin/marketing/flash_sale_form.html", activity=activity, form=form, errors=errors,
                           products=products, chosen=chosen, sessions=flash_sessions.session_list(),
                           clock=flash_sessions.clock, closed=closed, fen_to_yuan=fen_to_yuan), \
        (422 if errors else 200)


@bp.post("/marketing/flash-sales/<int:activity_id>/stop")
@area("marketing")
def flash_sale_stop(activity_id: int):
    activity = db.get_or_404(FlashActivity, activity_id)
    returned = flash_activities.stop_activity(actor(), activity)
    db.session.commit()
    if returned is None:
        flash(_("This flash sale had already ended."), "info")
    else:
        flash(_("Flash sale stopped: %(n)s unsold unit(s) went back to the products.", n=returned), "success")
    return redirect(url_for("admin.flash_sales", **{k: v for k, v in request.args.items()}))
