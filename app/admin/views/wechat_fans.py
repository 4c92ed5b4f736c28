"""Official account: the fan list (read-only): who follows, since when, through which QR scene."""

from __future__ import annotations

from flask import render_template, request

from app.admin import bp
from app.admin.security import area
from app.core.pagination import PageQuery, paginate
from app.core.validation import validate
from app.officialaccount.fan_search import FAN_SORTS, fan_counts, members_of, search_fans
from app.officialaccount.states import FAN_STATUSES


@bp.get("/wechat/fans")
@area("wechat")
def wechat_fans():
    args = request.args
    status = args.get("status") if args.get("status") in FAN_STATUSES else None
    sort = args.get("sort") if args.get("sort") in FAN_SORTS else "subscribed"
    page = paginate(search_fans(args.get("q"), status=status, sort=sort), validate(PageQuery, args.to_dict()),
                    lambda fan: fan)
    members = members_of(page["items"])
    return render_template("admin/wechat/fans.html", page=page, members=members, counts=fan_counts(), args=args,
                           status=status, sort=sort, sorts=FAN_SORTS)
