"""/cgi-bin/token and /cgi-bin/stable_token, checking appid and secret like WeChat."""

from __future__ import annotations

import time

from flask import current_app, jsonify, request

from app.wechat.sandbox import bp
from app.wechat.sandbox.errors import require_token, wx_error


def _state():
    return current_app.extensions["wechat_sandbox"]


def _secret_for(appid: str) -> str | None:
    config = current_app.config
    return {config["WECHAT_OA_APPID"]: config["WECHAT_OA_SECRET"],
            config["WECHAT_MP_APPID"]: config["WECHAT_MP_SECRET"]}.get(appid)


def _credential_error(params):
    """WeChat's answer to bad client credentials, or None when they are right."""
    appid = params.get("appid", "")
    if params.get("grant_type") != "client_credential":
        return wx_error(40002, "invalid grant_type")
    if _secret_for(appid) is None:
        return wx_error(40013, "invalid appid")
    if _secret_for(appid) != params.get("secret", ""):
        return wx_error(40125, "invalid appsecret")
    return None


@bp.get("/api/cgi-bin/token")
def token():
    if (refusal := _credential_error(request.args)) is not None:
        return refusal
    appid = request.args["appid"]
    state = _state()
    state.count("token")
    issued = state.issue_token(appid, force=True)  # the legacy API always makes a new token
    return jsonify(access_token=issued.value, expires_in=7200)


@bp.post("/api/cgi-bin/stable_token")
def stable_token():
    body = request.get_json(silent=True)
    body = body if isinstance(body, dict) else {}
    if (refusal := _credential_error(body)) is not None:
        return refusal
    appid = body["appid"]
    state = _state()
    state.count("stable_token")
    issued = state.issue_token(appid, force=bool(body.get("force_refresh")))
    return jsonify(access_token=issued.value, expires_in=max(1, int(issued.expires_at - time.time())))


@bp.get("/api/cgi-bin/getcallbackip")
def callback_ips():
    """The simplest token-checked API: what a client uses to prove its token works."""
    state = _state()
    state.count("getcallbackip")
    if require_token(state) is None:
        return wx_error(40001, "invalid credential, access_token is invalid or not latest")
    return jsonify(ip_list=["127.0.0.1"])
