"""/h5/: the page a poster's web-link code opens (see app/posters/landing.py)."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from app.core.money import fen_to_yuan
from app.core.transactions import commit_with_retry
from app.posters.landing import open_landing

bp = Blueprint("poster_landing", __name__, url_prefix="/h5", template_folder="templates")


@bp.get("/")
def landing():
    scene = request.args.get("scene", "")[:64]
    visitor = f"{request.remote_addr}|{request.headers.get('User-Agent', '')[:200]}"
    page = commit_with_retry(lambda: open_landing(scene, visitor))
    response = render_template("web/poster_landing.html", page=page, yuan=fen_to_yuan)
    return response, 200, {"Cache-Control": "no-store"}
