"""The mini-program's JSON API under /api/v1: parse, call a service, serialise."""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

# Routes register on import.
from app.api import (  # noqa: E402,F401
    addresses,
    after_sales,
    auth,
    bargains,
    cart,
    catalog,
    coupons,
    distribution,
    docs,
    flash_sales,
    groups,
    member_levels,
    order_pay,
    order_shipping,
    orders,
    points,
    posters,
    promotions,
    storefront,
    uploads,
    wechat,
)
