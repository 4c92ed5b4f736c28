"""The merchant console at /admin: server-rendered pages over the same domain services."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates",
               static_folder="static", static_url_path="/static")

from app.admin import menu, security, words  # noqa: E402,F401  (guards, sidebar and filters register on import)
from app.admin.views import (  # noqa: E402,F401
               after_sales,
               audit,
               auth,
               bargains,
               categories,
               coupons,
               dashboard,
               distribution,
               distribution_agent,
               distribution_team,
               exports,
               flash_sales,
               full_reductions,
               group_buys,
               marketing_points,
               media,
               members,
               orders,
               pickers,
               posters,
               product_editor,
               products,
               shipping,
               shop,
               simulator,
               simulator_pay,
               staff,
               vendor,
               wechat_fans,
               wechat_menu,
               wechat_replies,
               wechat_settings,
               wechat_special,
               withdrawals,
)
