"""The mini-program's JSON API under /api/v1: parse, call a service, serialise."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from app.api import (  # noqa: E402,F401  (routes register on import)
    auth,
    catalog,
    distribution,
    docs,
    storefront,
    wechat,
)
