"""WeChat logins and helpers for the mini-program and official-account pages."""

from __future__ import annotations

from flask import current_app, jsonify
from pydantic import BaseModel, Field

from app.accounts import services as accounts
from app.accounts import wechat_identity
from app.api import bp
from app.api.auth import TokenOut
from app.api.current_user import current_user, login_required
from app.api.schemas import UserOut, user_out
from app.core.request_models import Body, Query, Text, WebUrl
from app.core.transactions import commit_with_retry
from app.core.validation import documented, use_body, use_query
from app.extensions import db
from app.wechat import jssdk, miniprogram
from app.wechat.errors import WeChatError, login_code_rejected


class WxLoginIn(Body):
    code: str = Field(min_length=1, max_length=128, description="the code from wx.login()")
    nickname: Text | None = Field(None, max_length=64)
    avatar_url: WebUrl | None = None


class PhoneIn(Body):
    code: str = Field(min_length=1, max_length=128, description="the code from a getPhoneNumber button")


class JssdkQuery(Query):
    url: str = Field(min_length=1, max_length=2048, pattern=r"^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?([/?][^#]*)?$",
                     description="the page's own URL, without the # part")


class JssdkConfigOut(BaseModel):
    appId: str  # the names wx.config expects
    timestamp: int
    nonceStr: str
    signature: str


@bp.post("/auth/wx-login")
@documented(summary="Log in with a wx.login() code", response=TokenOut, tags=("auth",))
@use_body(WxLoginIn)
def wx_login(body: WxLoginIn):
    try:
        session = miniprogram.code_to_session(body.code)
    except WeChatError as exc:
        raise login_code_rejected(exc) from exc
    user = commit_with_retry(lambda: wechat_identity.upsert_wechat_user(
        "mp", session.openid, session.unionid, nickname=body.nickname, avatar_url=body.avatar_url,
        is_test=current_app.config["WECHAT_SANDBOX"]))
    return jsonify(token=accounts.token_for(user), expires_in=current_app.config["API_TOKEN_MAX_AGE"],
                   user=user_out(user))


@bp.post("/me/phone")
@documented(summary="Store the phone number from a getPhoneNumber code", response=UserOut, auth=True,
            tags=("auth",))
@login_required
@use_body(PhoneIn)
def set_phone(body: PhoneIn):
    try:
        phone = miniprogram.phone_number(body.code)
    except WeChatError as exc:
        raise login_code_rejected(exc) from exc
    user = wechat_identity.set_phone(current_user(), phone)
    db.session.commit()
    return jsonify(user_out(user))


@bp.get("/wechat/jssdk-config")
@documented(summary="The wx.config signature for one of our official-account pages", response=JssdkConfigOut,
            tags=("wechat",))
@use_query(JssdkQuery)
def jssdk_config(query: JssdkQuery):
    return jsonify(jssdk.config_for(query.url))
