"""Logging in and out of the console."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.accounts import staff as staff_service
from app.admin import bp
from app.admin.forms import LoginForm
from app.admin.security import any_staff, log_in, log_out, public
from app.core.errors import DomainError
from app.extensions import db


def _safe_next(target: str | None) -> str:
    """Only a path inside the console: never another site (no open redirect)."""
    if not target:
        return url_for("admin.dashboard")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/admin") or target.startswith("//"):
        return url_for("admin.dashboard")
    return target


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        try:
            staff = staff_service.authenticate(form.username.data, form.password.data, request.remote_addr or "")
        except DomainError as refusal:
            form.password.errors.append(refusal.message)
            status = refusal.status if refusal.status == 429 else 200
        else:
            db.session.commit()
            log_in(staff)
            return redirect(_safe_next(request.args.get("next")))
    return render_template("admin/login.html", form=form), status


@bp.post("/logout")
@any_staff
def logout():
    log_out()
    flash(_("You have logged out."), "info")
    return redirect(url_for("admin.login"))


@bp.get("/lang/<code>")
@public
def switch_language(code: str):
    response = redirect(_safe_next(request.args.get("next")))
    if code in ("zh", "en"):
        response.set_cookie("lang", code, max_age=365 * 24 * 3600, samesite="Lax", httponly=True)
    return response
