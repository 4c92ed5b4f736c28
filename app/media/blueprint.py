"""Serves stored media in the embedded mode (a web server or CDN can do it in production)."""

from __future__ import annotations

from flask import Blueprint, current_app, send_from_directory

bp = Blueprint("media", __name__)


@bp.get("/media/<path:key>")
def media_file(key: str):
    return send_from_directory(current_app.config["MEDIA_ROOT"], key, max_age=3600)
