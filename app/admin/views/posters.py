"""Poster templates (distribution): list with load errors, enable / disable / set default,
upload a background, a live preview for a sample agent, and the report of which poster
brings the most new shoppers. Every change is audited."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.admin import bp
from app.admin.actions import run_action
from app.admin.security import actor, area
from app.core.models import utcnow
from app.media import library
from app.posters import attribution, preview, template_settings
from app.posters.templates import catalogue

PERIODS = {"7": 7, "30": 30, "90": 90, "all": None}


@bp.get("/posters")
@area("distribution")
def poster_templates():
    states = template_settings.states()
    return render_template("admin/posters/templates.html", states=states, errors=catalogue().errors)


@bp.get("/posters/<key>/preview.png")
@area("distribution")
def poster_preview(key: str):
    state = next((state for state in template_settings.states() if state.template.key == key), None)
    if state is None:
        abort(404)
    response = make_response(preview.preview_png(state))
    response.mimetype = "image/png"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/posters/<key>/enable")
@area("distribution")
def poster_enable(key: str):
    run_action(lambda: template_settings.set_enabled(actor(), key, True), _("Enabled."))
    return redirect(url_for("admin.poster_templates"))


@bp.post("/posters/<key>/disable")
@area("distribution")
def poster_disable(key: str):
    run_action(lambda: template_settings.set_enabled(actor(), key, False), _("Disabled."))
    return redirect(url_for("admin.poster_templates"))


@bp.post("/posters/<key>/default")
@area("distribution")
def poster_default(key: str):
    run_action(lambda: template_settings.set_default(actor(), key), _("Set as the default."))
    return redirect(url_for("admin.poster_templates"))


@bp.post("/posters/<key>/background")
@area("distribution")
def poster_background(key: str):
    upload = request.files.get("file")
    data = upload.read() if upload else b""
    run_action(lambda: template_settings.upload_background(actor(), key, data), _("Background uploaded."))
    return redirect(url_for("admin.poster_templates"))


@bp.post("/posters/<key>/background/library")
@area("distribution")
def poster_background_from_library(key: str):
    """A picture chosen in the media library becomes the background: its bytes go through the
    same checks and are copied, so deleting the library picture later leaves the poster whole."""
    picture = library.by_url(request.form.get("url", ""))
    data = library.read(picture) if picture else b""
    run_action(lambda: template_settings.upload_background(actor(), key, data), _("Background uploaded."))
    return redirect(url_for("admin.poster_templates"))


@bp.post("/posters/<key>/background/clear")
@area("distribution")
def poster_background_clear(key: str):
    run_action(lambda: template_settings.clear_background(actor(), key), _("The template's own background is back."))
    return redirect(url_for("admin.poster_templates"))


@bp.get("/posters/report")
@area("distribution")
def poster_report():
    period = request.args.get("days", "30")
    if period not in PERIODS:
        period = "30"
    since = utcnow() - timedelta(days=PERIODS[period]) if PERIODS[period] else None
    return render_template("admin/posters/report.html", period=period, periods=list(PERIODS),
                           templates=attribution.by_template(since), agents=attribution.by_agent(since))
