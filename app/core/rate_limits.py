"""Rate limits on the endpoints bots hammer (claiming coupons, exchanging points; the flash
sale's purchase and the bargain's help will join them), per shopper and per address.

Why Flask-Limiter: its moving windows live in Redis, so every gunicorn process and server
counts the same shopper together (in embedded mode, one process, they live in memory), and
a breach is answered before the view runs. A breach is a 429 in the API's error shape with
`Retry-After`; the limits are settings (`RATE_LIMIT_*`, see README › Configuration), so a
shop behind a carrier's shared address (mobile networks put many shoppers behind one) can
widen the per-address one.

The shopper is read from the bearer token's signed claims, without the database: a request
with no valid token is counted by address only (and refused by the view's login check).
Behind a reverse proxy the address is the client's only when `TRUSTED_PROXY_COUNT` says how
many proxies set X-Forwarded-For (app/__init__.py applies werkzeug's ProxyFix).
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

from app.core.tokens import InvalidToken, read_token

limiter = Limiter(key_func=get_remote_address, headers_enabled=True, strategy="moving-window",
                  key_prefix="fenxiao-limits")


def init_app(app: Flask) -> None:
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config.get("REDIS_URL") or "memory://")
    app.config.setdefault("RATELIMIT_ENABLED", app.config.get("RATE_LIMITS_ENABLED", True))
    limiter.init_app(app)


def shopper_key() -> str:
    """The shopper a bearer token names, else the caller's address."""
    scheme, _sep, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        try:
            return f"shopper:{read_token(token.strip()).user_id}"
        except InvalidToken:
            pass
    return f"address:{get_remote_address()}"


def _setting(name: str) -> Callable[[], str]:
    return lambda: current_app.config[name]


def per_shopper_and_address(shopper_setting: str, address_setting: str = "RATE_LIMIT_PER_ADDRESS"):
    """A view limited by the shopper's own window (config `shopper_setting`, e.g. "3 per
    second; 20 per minute") and by the caller's address (`address_setting`), both shared by
    every view decorated with the same setting names."""

    def decorator(view):
        view = limiter.shared_limit(_setting(address_setting), scope=address_setting.lower())(view)
        return limiter.shared_limit(_setting(shopper_setting), scope=shopper_setting.lower(),
                                    key_func=shopper_key)(view)

    return decorator
