"""The merchant console at /admin: server-rendered pages over the same domain services."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates",
               static_folder="static", static_url_path="/static")

from app.admin import menu, security  # noqa: E402,F401  (guards and the sidebar register on import)
from app.admin.views import audit, auth, dashboard, members, products, shipping, shop, staff, vendor  # noqa: E402,F401
