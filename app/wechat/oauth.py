"""Web-page OAuth (网页授权) for the official account, via wechatpy's WeChatOAuth.

Pointed at our configured hosts, so in sandbox mode the same code talks to the sandbox.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from flask import current_app
from wechatpy.oauth import WeChatOAuth

from app.wechat.errors import wechat_call

SCOPES = ("snsapi_base", "snsapi_userinfo")
# What the sandbox's consent page takes instead of a person tapping 允许 (see README).
SANDBOX_HINTS = ("dev_user", "dev_nickname")


@dataclass(frozen=True)
class OAuthIdentity:
    openid: str
    unionid: str | None
    nickname: str | None = None
    avatar_url: str | None = None


class _OAuth(WeChatOAuth):
    def __init__(self, redirect_uri: str = "", scope: str = "snsapi_base", state: str = "") -> None:
        config = current_app.config
        super().__init__(config["WECHAT_OA_APPID"], config["WECHAT_OA_SECRET"], redirect_uri, scope, state)
        self.API_BASE_URL = config["WECHAT_API_BASE_URL"].rstrip("/") + "/"
        self.OAUTH_BASE_URL = config["WECHAT_OPEN_BASE_URL"].rstrip("/") + "/connect/"
        self.timeout = config["WECHAT_HTTP_TIMEOUT"]

    def _request(self, method, url_or_endpoint, **kwargs):
        kwargs.setdefault("timeout", self.timeout)
        return super()._request(method, url_or_endpoint, **kwargs)


def authorize_url(redirect_uri: str, scope: str, state: str, hints: Mapping[str, str] | None = None) -> str:
    """Where to send the browser: WeChat's consent page, coming back to `redirect_uri`.

    In sandbox mode `hints` (dev_user, dev_nickname) are handed on to the sandbox's consent
    page, which agrees at once as that person; real WeChat never sees them.
    """
    if scope not in SCOPES:
        raise ValueError(f"unknown OAuth scope {scope!r}")
    url = _OAuth(redirect_uri, scope, state).authorize_url
    chosen = {name: hints[name] for name in SANDBOX_HINTS if hints and hints.get(name)}
    if not chosen or not current_app.config["WECHAT_SANDBOX"]:
        return url
    base, hash_mark, fragment = url.partition("#")
    return f"{base}&{urlencode(chosen)}{hash_mark}{fragment}"


def identify(code: str, scope: str) -> OAuthIdentity:
    """Exchange the code; with snsapi_userinfo also fetch the nickname and avatar."""
    oauth = _OAuth()
    with wechat_call("sns/oauth2/access_token"):
        grant = oauth.fetch_access_token(code)
    if scope != "snsapi_userinfo":
        return OAuthIdentity(openid=grant["openid"], unionid=grant.get("unionid") or None)
    with wechat_call("sns/userinfo"):
        profile = oauth.get_user_info(grant["openid"], grant["access_token"])
    return OAuthIdentity(openid=grant["openid"], unionid=profile.get("unionid") or grant.get("unionid") or None,
                         nickname=profile.get("nickname") or None, avatar_url=profile.get("headimgurl") or None)
