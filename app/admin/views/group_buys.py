"""Group-buy activities (营销 → 拼团): list with a status filter, create and edit (the item
picked, never typed; prices in yuan, times in Beijing time), stop early, and each activity's
results with an export of its groups. Every change goes through
`app.marketing.group_activities`, which audits it."""

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
from app.exports.workbook import COUNT, TIME, Column, SheetFile
from app.extensions import db
from app.marketing import group_activities as service
from app.marketing.group_models import ON_FULL_SEAT_LABELS, GroupActivity, GroupActivityStatus

TIME_FORMAT = "%Y-%m-%dT%H:%M"
NUMBERS = ("group_size", "time_limit_hours", "per_shopper_limit", "virtual_min_members")
SWITCHES = service.SWITCHES
GROUP_COLUMNS = (Column(_l("Group"), COUNT, 10), Column(_l("Leader"), width=20), Column(_l("Status"), width=12),
                 Column(_l("Joined / size"), width=12), Column(_l("Opened"), TIME, 20),
                 Column(_l("Expires / ended"), TIME, 20))


def _naive_beijing(moment: datetime | None) -> datetime | None:
    return to_beijing(moment).replace(tzinfo=None) if moment is not None else None


@bp.get("/marketing/groups", endpoint="group_activities")
@area("marketing")
def group_activity_list():
    status = request.args.get("status", "")
    page = paginate(service.activity_list(status=status), validate(PageQuery, request.args.to_dict()), lambda row: row)
    return render_template("admin/marketing/group_list.html", page=page, status=status,
                           statuses=list(GroupActivityStatus), now=utcnow(), status_of=service.status_of,
                           item_title=service.item_title)


def parse(form) -> tuple[dict[str, Any], dict[str, str]]:
    """The form as the service's values (yuan as fen, Beijing times as naive UTC), and what
    could not be read."""
    errors: dict[str, str] = {}
    values: dict[str, Any] = {"name": form.get("name", ""), "on_full_seat": form.get("on_full_seat", "")}
    sku = form.get("sku_id", "")
    values["sku_id"] = int(sku) if sku.isascii() and sku.isdigit() and len(sku) < 10 else None
    for key in ("group_price_fen", "leader_price_fen"):
        text = form.get(key, "").strip()
        try:
            values[key] = yuan_to_fen(text) if text else (None if key == "leader_price_fen" else -1)
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


def _form_from(activity: GroupActivity | None) -> dict[str, Any]:
    if activity is None:
        start = to_beijing(utcnow()).replace(second=0, microsecond=0)
        return {"name": "", "sku_id": "", "sku_title": "", "group_price_fen": "", "leader_price_fen": "",
                "group_size": "3", "time_limit_hours": "24", "per_shopper_limit": "0", "virtual_min_members": "1",
                "on_full_seat": "another_group", **{key: False for key in SWITCHES},
                "starts_at": start.strftime(TIME_FORMAT), "ends_at": (start + timedelta(days=7)).strftime(TIME_FORMAT)}
    leader = activity.leader_price_fen
    return {"name": activity.name, "sku_id": str(activity.sku_id), "sku_title": service.item_title(activity),
            "group_price_fen": fen_to_yuan(activity.group_price_fen),
            "leader_price_fen": fen_to_yuan(leader) if leader is not None else "",
            **{key: str(getattr(activity, key)) for key in NUMBERS},
            **{key: getattr(activity, key) for key in SWITCHES}, "on_full_seat": activity.on_full_seat,
            "starts_at": to_beijing(activity.starts_at).strftime(TIME_FORMAT),
            "ends_at": to_beijing(activity.ends_at).strftime(TIME_FORMAT)}


def _form_from_request(form) -> dict[str, Any]:
    sku = form.get("sku_id", "")
    sku_title = service.sku_title(int(sku)) if sku.isascii() and sku.isdigit() and len(sku) < 10 else ""
    keys = ("name", "sku_id", "starts_at", "ends_at", "group_price_fen", "leader_price_fen", "on_full_seat", *NUMBERS)
    return {**{key: form.get(key, "") for key in keys}, **{key: form.get(key) == "1" for key in SWITCHES},
            "sku_title": sku_title}


@bp.route("/marketing/groups/new", methods=["GET", "POST"], endpoint="group_activity_new")
@bp.route("/marketing/groups/<int:activity_id>", methods=["GET", "POST"])
@area("marketing")
def group_activity_edit(activity_id: int | None = None):
    activity = db.get_or_404(GroupActivity, activity_id) if activity_id else None
    errors: dict[str, str] = {}
    if request.method == "POST":
        values, errors = parse(request.form)
        if not errors:
            errors = save_activity(activity, values, service.create_activity, service.update_activity)
            if not errors:
                return redirect(url_for("admin.group_activities"))
        form = _form_from_request(request.form)
    else:
        form = _form_from(activity)
    locked = activity is not None and service.opened(activity.id)
    return render_template("admin/marketing/group_form.html", activity=activity, form=form, errors=errors,
                           terms_locked=locked, on_full_seat_labels=ON_FULL_SEAT_LABELS), (422 if errors else 200)


@bp.post("/marketing/groups/<int:activity_id>/stop")
@area("marketing")
def group_activity_stop(activity_id: int):
    activity = db.get_or_404(GroupActivity, activity_id)
    service.stop_activity(actor(), activity)
    db.session.commit()
    flash(_("Activity stopped. Groups still forming run on until their time is up."), "success")
    return redirect(url_for("admin.group_activities"))


@bp.get("/marketing/groups/<int:activity_id>/results")
@area("marketing")
def group_activity_results(activity_id: int):
    activity = db.get_or_404(GroupActivity, activity_id)
    return render_template("admin/marketing/group_results.html", activity=activity,
                           figures=service.results(activity.id), status=service.status_of(activity),
                           item_title=service.item_title(activity), groups=service.groups_of(activity.id, limit=50))


@bp.get("/marketing/groups/<int:activity_id>/groups.xlsx")
@area("marketing")
def group_activity_export(activity_id: int):
    """The activity's groups (capped; times in Beijing time)."""
    activity = db.get_or_404(GroupActivity, activity_id)
    sheet = SheetFile(_("Group buy"), GROUP_COLUMNS)
    for group, nickname in service.groups_of(activity.id):
        ended = group.succeeded_at or group.failed_at or group.expires_at
        sheet.append([group.id, nickname, label(group.status, "GroupStatus"), f"{group.joined}/{group.size}",
                      _naive_beijing(group.created_at), _naive_beijing(ended)])
    path = sheet.save()
    return send_file(path, as_attachment=True, download_name=f"group-buy-{activity.id}.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")

