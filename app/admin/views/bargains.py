"""Bargain activities (营销 → 砍价): list with a status filter and an export, create and edit
(the item picked, never typed; prices in yuan, times in Beijing time), stop early, and each
activity's results. Every change goes through `app.marketing.bargain_activities`, which
audits it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
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
from app.core.money import fen_to_yuan, yuan_to_fen
from app.core.pagination import PageQuery, paginate
from app.core.validation import validate
from app.exports.workbook import COUNT, MONEY, TIME, Column, SheetFile
from app.extensions import db
from app.marketing import bargain_activities as service
from app.marketing.bargain_models import BargainActivity, BargainActivityStatus

EXPORT_LIMIT = 5000
TIME_FORMAT = "%Y-%m-%dT%H:%M"
NUMBERS = ("helpers_needed", "time_limit_hours", "launches_per_shopper", "helps_per_day", "buy_window_hours")
PRICES = ("start_price_fen", "floor_price_fen", "cut_min_fen", "cut_max_fen")
SWITCHES = ("buy_at_current", "pays_commission", "stacks")
EXPORT_COLUMNS = (Column(_l("Name"), width=24), Column(_l("Item"), width=30), Column(_l("Status")),
                  Column(_l("Starts"), TIME, 20), Column(_l("Ends"), TIME, 20), Column(_l("Start price"), MONEY),
                  Column(_l("Floor price"), MONEY), Column(_l("Helpers needed"), COUNT, 10),
                  Column(_l("Launched"), COUNT, 10), Column(_l("Floor reached"), COUNT, 10),
                  Column(_l("Orders"), COUNT, 10), Column(_l("Paid orders"), COUNT, 10),
                  Column(_l("Paid amount"), MONEY))


@bp.get("/marketing/bargains", endpoint="bargain_activities")
@area("marketing")
def bargain_activity_list():
    status = request.args.get("status", "")
    page = paginate(service.activity_list(status=status), validate(PageQuery, request.args.to_dict()), lambda row: row)
    return render_template("admin/marketing/bargain_list.html", page=page, status=status,
                           statuses=list(BargainActivityStatus), now=utcnow(), status_of=service.status_of,
                           item_title=service.item_title)


@bp.get("/marketing/bargains/export.xlsx")
@area("marketing")
def bargain_activity_export():
    """The filtered list with each activity's results, at once (a shop has tens, capped)."""
    sheet = SheetFile(_("Bargain"), EXPORT_COLUMNS)
    now = utcnow()
    statement = service.activity_list(status=request.args.get("status", "")).limit(EXPORT_LIMIT)
    for activity in db.session.scalars(statement):
        figures = service.results(activity.id)
        sheet.append([activity.name, service.item_title(activity),
                      label(service.status_of(activity, now), "BargainActivityStatus"),
                      to_beijing(activity.starts_at).replace(tzinfo=None),
                      to_beijing(activity.ends_at).replace(tzinfo=None), activity.start_price_fen,
                      activity.floor_price_fen, activity.helpers_needed, figures["launched"], figures["completed"],
                      figures["orders"], figures["paid_orders"], figures["paid_fen"]])
    path = sheet.save()
    return send_file(path, as_attachment=True, download_name="bargains.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def parse(form) -> tuple[dict[str, Any], dict[str, str]]:
    """The form as the service's values (yuan as fen, Beijing times as naive UTC), and what
    could not be read."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {"name": form.get("name", "")}
    sku = form.get("sku_id", "")
    values["sku_id"] = int(sku) if sku.isascii() and sku.isdigit() and len(sku) < 10 else None
    for key in PRICES:
        text = form.get(key, "").strip()
        try:
            values[key] = yuan_to_fen(text) if text else 0
        except ValueError:
            errors[key] = _("Enter an amount in yuan, e.g. 12.50.")
    for key in NUMBERS:
        text = form.get(key, "").strip()
        values[key] = int(text) if text.isascii() and text.isdigit() and len(text) < 7 else -1
    for key in SWITCHES:
        values[key] = form.get(key) == "1"
    for key in ("starts_at", "ends_at"):
        text = form.get(key, "").strip()
        try:
            moment = datetime.strptime(text, TIME_FORMAT).replace(tzinfo=BEIJING)
        except ValueError:
            errors[key] = _("Enter a date and time.")
            continue
        values[key] = moment.astimezone(UTC).replace(tzinfo=None)
    return values, errors


def _yuan(fen: int) -> str:
    return fen_to_yuan(fen) if fen else ""


def _form_from(activity: BargainActivity | None) -> dict[str, Any]:
    if activity is None:
        start = to_beijing(utcnow()).replace(second=0, microsecond=0)
        return {"name": "", "sku_id": "", "sku_title": "", "start_price_fen": "", "floor_price_fen": "",
                "cut_min_fen": "", "cut_max_fen": "", "helpers_needed": "10", "time_limit_hours": "24",
                "launches_per_shopper": "1", "helps_per_day": "3", "buy_window_hours": "24", "buy_at_current": False,
                "pays_commission": False, "stacks": False, "starts_at": start.strftime(TIME_FORMAT),
                "ends_at": (start + timedelta(days=7)).strftime(TIME_FORMAT)}
    return {"name": activity.name, "sku_id": str(activity.sku_id), "sku_title": service.item_title(activity),
            **{key: _yuan(getattr(activity, key)) for key in PRICES},
            "floor_price_fen": fen_to_yuan(activity.floor_price_fen),
            **{key: str(getattr(activity, key)) for key in NUMBERS},
            **{key: getattr(activity, key) for key in SWITCHES},
            "starts_at": to_beijing(activity.starts_at).strftime(TIME_FORMAT),
            "ends_at": to_beijing(activity.ends_at).strftime(TIME_FORMAT)}


def _form_from_request(form) -> dict[str, Any]:
    sku = form.get("sku_id", "")
    sku_title = service.sku_title(int(sku)) if sku.isascii() and sku.isdigit() and len(sku) < 10 else ""
    return {**{key: form.get(key, "") for key in ("name", "sku_id", "starts_at", "ends_at", *PRICES, *NUMBERS)},
            **{key: form.get(key) == "1" for key in SWITCHES}, "sku_title": sku_title}


@bp.route("/marketing/bargains/new", methods=["GET", "POST"], endpoint="bargain_activity_new")
@bp.route("/marketing/bargains/<int:activity_id>", methods=["GET", "POST"])
@area("marketing")
def bargain_activity_edit(activity_id: int | None = None):
    activity = db.get_or_404(BargainActivity, activity_id) if activity_id else None
    errors: dict[str, str] = {}
    if request.method == "POST":
        values, errors = parse(request.form)
        if not errors:
            errors = save_activity(activity, values, service.create_activity, service.update_activity)
            if not errors:
                return redirect(url_for("admin.bargain_activities"))
        form = _form_from_request(request.form)
    else:
        form = _form_from(activity)
    locked = activity is not None and service.launched(activity.id)
    return render_template("admin/marketing/bargain_form.html", activity=activity, form=form, errors=errors,
                           terms_locked=locked), (422 if errors else 200)


@bp.post("/marketing/bargains/<int:activity_id>/stop")
@area("marketing")
def bargain_activity_stop(activity_id: int):
    activity = db.get_or_404(BargainActivity, activity_id)
    service.stop_activity(actor(), activity)
    db.session.commit()
    flash(_("Activity stopped."), "success")
    return redirect(url_for("admin.bargain_activities"))


@bp.get("/marketing/bargains/<int:activity_id>/results")
@area("marketing")
def bargain_activity_results(activity_id: int):
    activity = db.get_or_404(BargainActivity, activity_id)
    return render_template("admin/marketing/bargain_results.html", activity=activity,
                           figures=service.results(activity.id), status=service.status_of(activity),
                           item_title=service.item_title(activity))
