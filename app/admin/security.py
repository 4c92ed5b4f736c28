"""Console guards: a staff login on every page, the page's permission area, CSRF on every
state-changing request, and security headers.

Every console endpoint must declare its area with @area(...) (or @public / @any_staff);
an endpoint that declares nothing is refused, so a forgotten check fails closed.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from urllib.parse import urlsplit

from flask import abort, current_app, g, redirect, request, session, url_for
from flask_babel import get_locale
from flask_wtf.csrf import CSRFProtect

from app.accounts.models import StaffAccount
from app.admin import bp
from app.audit.services import Actor
from app.extensions import db

csrf = CSRFProtect()

PUBLIC = "public"
ANY_STAFF = "any_staff"
STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'; "
    "object-src 'none'"
)
# wangEditor draws the merchant's alignment, colours and picture widths as style attributes: a
# page with a rich-text field lets inline styles through (never inline scripts); no other does.
RICH_TEXT_POLICY = CONTENT_SECURITY_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


@cache
def content_security_policy(media_url: str, inline_styles: bool) -> str:
    """The console's policy; pictures stored in a bucket (MEDIA_URL absolute) come from its origin."""
    policy = RICH_TEXT_POLICY if inline_styles else CONTENT_SECURITY_POLICY
    parts = urlsplit(media_url)
    if parts.scheme in ("http", "https") and parts.netloc:
        policy = policy.replace("img-src 'self'", f"img-src 'self' {parts.scheme}://{parts.netloc}")
    return policy


def area(name: str) -> Callable:
    """The permission area a console view belongs to."""

    def decorator(view: Callable) -> Callable:
        view.admin_area = name  # type: ignore[attr-defined]
        return view

    return decorator


public = area(PUBLIC)
any_staff = area(ANY_STAFF)
FORM_MARGIN = 64 * 1024  # the multipart framing and the other fields around an upload


def upload_limit(config_key: str) -> Callable:
    """A view taking uploads larger than MAX_CONTENT_LENGTH: its body may be the configured
    file size plus a form's margin (set before the CSRF check reads the form)."""

    def decorator(view: Callable) -> Callable:
        view.upload_limit = config_key  # type: ignore[attr-defined]
        return view

    return decorator


def current_staff() -> StaffAccount:
    return g.staff


def actor() -> Actor:
    return Actor(g.staff.id if g.get("staff") else None, request.remote_addr or "")


def log_in(staff: StaffAccount) -> None:
    """A fresh session id at login, so a session fixed before login is worth nothing."""
    session.clear()
    session["staff_id"] = staff.id
    session["auth_version"] = staff.auth_version
    session.permanent = True
    current_app.session_interface.regenerate(session)  # drops the old id's stored session


def refresh_privileges(staff: StaffAccount) -> None:
    """After the signed-in staff member's own privileges change: new session id, new version."""
    current_app.session_interface.regenerate(session)
    session["auth_version"] = staff.auth_version


def log_out() -> None:
    session.clear()  # server-side: the stored session is deleted, a replayed cookie finds nothing


def _load_staff() -> StaffAccount | None:
    staff_id = session.get("staff_id")
    if staff_id is None:
        return None
    staff = db.session.get(StaffAccount, staff_id)
    if staff is None or not staff.is_active or staff.auth_version != session.get("auth_version"):
        session.clear()
        return None
    return staff


@bp.before_request
def guard():
    view = current_app.view_functions.get(request.endpoint or "")
    if getattr(view, "upload_limit", None):
        request.max_content_length = current_app.config[view.upload_limit] + FORM_MARGIN
    if request.method in STATE_CHANGING:
        csrf.protect()  # 400 without a valid token, logged in or not
    if request.endpoint == "admin.static":
        return None
    required = getattr(view, "admin_area", None)
    if required == PUBLIC:
        return None
    g.staff = _load_staff()
    if g.staff is None:
        return redirect(url_for("admin.login", next=request.full_path.rstrip("?")))
    if required is None or (required != ANY_STAFF and not g.staff.can(required)):
        abort(403)
    return None


@bp.app_template_global()
def allow_inline_styles() -> str:
    """Called by the rich-text field's assets while the page renders (admin/_rich_text.html)."""
    g.inline_styles_allowed = True
    return ""


@bp.after_request
def security_headers(response):
    response.headers["Content-Security-Policy"] = content_security_policy(
        current_app.config["MEDIA_URL"], bool(g.get("inline_styles_allowed")))
    response.headers["Cache-Control"] = response.headers.get("Cache-Control", "no-store")
    return response


@bp.app_context_processor
def console_context():
    staff = g.get("staff")
    return {"current_staff": staff, "can": (lambda name: bool(staff and staff.can(name))),
            "get_locale": get_locale}
