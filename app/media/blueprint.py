"""Serves stored media in the embedded mode (a web server or CDN can do it in production).

Posters, mini-program codes and poster backgrounds are named by a digest of what they show,
so a name never changes content: they are cached for a year (immutable); other files an hour.
Either way the answer carries an ETag and a conditional request gets 304.
"""

from __future__ import annotations

from flask import Blueprint, current_app, send_from_directory

bp = Blueprint("media", __name__)

IMMUTABLE = ("posters/", "wxacode/", "poster-backgrounds/", "poster-thumbnails/")
YEAR = 365 * 24 * 3600


@bp.get("/media/<path:key>")
def media_file(key: str):
    immutable = key.startswith(IMMUTABLE)
    response = send_from_directory(current_app.config["MEDIA_ROOT"], key, max_age=YEAR if immutable else 3600)
    if immutable:
        response.cache_control.immutable = True
    return response
