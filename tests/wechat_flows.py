"""What a shopper does in WeChat, step by step, against the live server and its sandbox."""

from __future__ import annotations

import itertools
from urllib.parse import parse_qs, urlsplit

_fresh = itertools.count(1)


def wx_login(client, name: str, **extra):
    """The mini-program: wx.login() gives a fresh code for `name`, sent to our wx-login."""
    return client.post("/api/v1/auth/wx-login", json={"code": f"dev:{name}:{next(_fresh)}", **extra})


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def start_oauth(client, scope: str = "snsapi_userinfo", next_path: str = "/after-login"):
    """Open our authorize link; return WeChat's consent URL it redirects to."""
    response = client.get("/wechat/oauth/authorize", query_string={"scope": scope, "next": next_path})
    assert response.status_code == 302, response.get_json()
    return response.headers["Location"]


def consent(client, consent_url: str, name: str, nickname: str | None = None) -> str:
    """WeChat's consent page (the sandbox's, in this app) agrees for dev user `name`;
    returns our callback URL it sends the browser back to."""
    base, _, fragment = consent_url.partition("#")
    assert fragment == "wechat_redirect"
    extra = f"&dev_user={name}" + (f"&dev_nickname={nickname}" if nickname else "")
    response = client.get(path_of(base) + extra)
    assert response.status_code == 302, response.get_json()
    return response.headers["Location"]


def oauth_login(client, name: str, scope: str = "snsapi_userinfo", next_path: str = "/after-login",
                nickname: str | None = None):
    """The whole official-account login; returns our callback's response."""
    callback = consent(client, start_oauth(client, scope, next_path), name, nickname)
    return client.get(path_of(callback))


def query_of(url: str) -> dict[str, str]:
    return {key: values[0] for key, values in parse_qs(urlsplit(url.partition("#")[0]).query).items()}
