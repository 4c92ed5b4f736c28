"""The audit log page: filter by area, staff, action and date."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import render_template, request
from sqlalchemy import select

from app.accounts.models import StaffAccount
from app.accounts.permissions import AREAS
from app.admin import bp
from app.admin.security import area
from app.audit import services as audit
from app.audit.actions import AUDIT_ACTION_LABELS
from app.core.pagination import PageQuery, paginate
from app.core.validation import validate
from app.extensions import db


def _date(text: str | None) -> datetime | None:
    try:
        return datetime.strptime(text, "%Y-%m-%d") if text else None
    except ValueError:
        return None


@bp.get("/settings/audit")
@area("settings")
def audit_log():
    args = request.args
    until = _date(args.get("until"))
    statement = audit.search(area=args.get("area") or None, staff_id=args.get("staff_id", type=int),
                             action=args.get("action") or None, since=_date(args.get("since")),
                             until=until + timedelta(days=1) if until else None)
    page = paginate(statement, validate(PageQuery, args.to_dict()), lambda entry: entry)
    staff = db.session.scalars(
        select(StaffAccount).order_by(StaffAccount.username)).all()
    return render_template("admin/audit_log.html", page=page, areas=AREAS, actions=AUDIT_ACTION_LABELS, staff=staff,
                           args=args)
