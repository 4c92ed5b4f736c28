"""WeChat's error answers, as WeChat gives them (HTTP 200 with errcode/errmsg)."""

from __future__ import annotations

from flask import jsonify, request

from app.wechat.sandbox.state import SandboxState


def wx_error(errcode: int, errmsg: str):
    return jsonify(errcode=errcode, errmsg=errmsg)


def require_token(state: SandboxState) -> str | None:
    """The appid owning the request's access_token, or None (answer 40001 then)."""
    return state.appid_for_token(request.args.get("access_token"))
