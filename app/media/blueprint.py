"""Serves stored media in the embedded mode (a web server or CDN can do it in production).
With an object store the bucket answers MEDIA_URL itself; this route then only serves an old
`/media/...` address still saved somewhere, read through the store."""

from __future__ import annotations

import mimetypes

from flask import Blueprint, abort, current_app, send_file, send_from_directory

from app.media.storage import storage

bp = Blueprint("media", __name__)


@bp.get("/media/<path:key>")
def media_file(key: str):
    if current_app.config["MEDIA_BACKEND"] == "local":
        return send_from_directory(current_app.config["MEDIA_ROOT"], key, max_age=3600)
    try:
        handle = storage().open(key)
    except (OSError, ValueError):
        abort(404)
    return send_file(handle, mimetype=mimetypes.guess_type(key)[0] or "application/octet-stream", max_age=3600,
                     download_name=key.rsplit("/", 1)[-1])
