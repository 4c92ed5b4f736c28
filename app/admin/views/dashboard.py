"""The console's first page: today's figures, what needs attention, and trends."""

from __future__ import annotations

from flask import render_template, request

from app.admin import bp
from app.admin.security import any_staff
from app.reports.dashboard import RANGES, build_dashboard


@bp.get("/")
@any_staff
def dashboard():
    board = build_dashboard(request.args.get("range", "today"))
    chart = {"days": board.days, "sales_fen": board.sales_trend_fen,
             "commission_fen": board.commission_trend_fen, "shoppers": board.shopper_trend}
    return render_template("admin/dashboard.html", board=board, ranges=RANGES, chart=chart)
