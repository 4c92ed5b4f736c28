"""Browser assets installed by npm (Bootstrap, Bootstrap Icons, ECharts, Alpine.js — its CSP
build — and its sort plugin), served locally."""

from __future__ import annotations

from pathlib import Path

from flask import abort, send_from_directory

from app.admin import bp
from app.admin.security import public

NODE_MODULES = Path(__file__).resolve().parents[3] / "node_modules"
ALLOWED = {
    "bootstrap": "bootstrap/dist",
    "bootstrap-icons": "bootstrap-icons/font",
    "echarts": "echarts/dist",
    "alpinejs-csp": "@alpinejs/csp/dist",
    "alpinejs-sort": "@alpinejs/sort/dist",
}


@bp.get("/vendor/<package>/<path:filename>")
@public
def vendor(package: str, filename: str):
    root = ALLOWED.get(package)
    if root is None:
        abort(404)
    return send_from_directory(NODE_MODULES / root, filename, max_age=7 * 24 * 3600)
