"""The configured WeChat clients for this app: official account and mini-program."""

from __future__ import annotations

from flask import current_app

from app.extensions import redis_client
from app.wechat.tokens import SharedTokenClient


def _client(kind: str) -> SharedTokenClient:
    cache = current_app.extensions.setdefault("wechat_clients", {})
    client = cache.get(kind)
    if client is None:
        config = current_app.config
        client = SharedTokenClient(
            config[f"WECHAT_{kind}_APPID"], config[f"WECHAT_{kind}_SECRET"],
            redis_client=redis_client._get_current_object(),
            api_base_url=config["WECHAT_API_BASE_URL"], timeout=config["WECHAT_HTTP_TIMEOUT"],
        )
        cache[kind] = client
    return client


def oa_client() -> SharedTokenClient:
    """The official account (公众号)."""
    return _client("OA")


def mp_client() -> SharedTokenClient:
    """The mini-program (小程序)."""
    return _client("MP")
