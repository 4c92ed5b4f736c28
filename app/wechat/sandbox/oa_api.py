"""Official-account APIs: menus, the jsapi_ticket and web-page OAuth (网页授权).

OAuth consents automatically: the authorize page redirects straight back with a code, for
the dev user named by `dev_user` (default `wxuser`), optionally with `dev_nickname`.
"""

from __future__ import annotations

import secrets
import time
from urllib.parse import urlencode, urlsplit

from flask import current_app, jsonify, redirect, request

from app.wechat.sandbox import bp
from app.wechat.sandbox.errors import require_token, wx_error
from app.wechat.sandbox.identities import (
    DEV_NAME,
    identity,
    issue_code,
    owner_of,
    redeem_code,
    remember_profile,
)
from app.wechat.sandbox.menu_rules import as_wechat_returns, menu_problem

SCOPES = ("snsapi_base", "snsapi_userinfo")
TICKET_TTL = 7200


def _state():
    return current_app.extensions["wechat_sandbox"]


def _oa_token_or_error():
    """(appid, None) for a valid official-account token, else (None, WeChat's error answer)."""
    appid = require_token(_state())
    if appid is None:
        return None, wx_error(40001, "invalid credential, access_token is invalid or not latest")
    if appid != current_app.config["WECHAT_OA_APPID"]:
        return None, wx_error(48001, "api unauthorized")
    return appid, None


# -- menus ---------------------------------------------------------------------------------
def published_menu(appid: str) -> dict | None:
    """The menu WeChat shows this account's fans ({"button": [...]} as menu/get has it), or None."""
    return _state().records["menus"].get(appid)


@bp.post("/api/cgi-bin/menu/create")
def menu_create():
    _state().count("menu/create")
    appid, error = _oa_token_or_error()
    if error:
        return error
    body = request.get_json(force=True, silent=True)
    problem = menu_problem(body)
    if problem:
        return wx_error(*problem)
    _state().records["menus"].put(appid, as_wechat_returns(body))
    return wx_error(0, "ok")


@bp.get("/api/cgi-bin/menu/get")
def menu_get():
    _state().count("menu/get")
    appid, error = _oa_token_or_error()
    if error:
        return error
    menu = published_menu(appid)
    if menu is None:
        return wx_error(46003, "menu no exist")
    return jsonify(menu=menu)


@bp.get("/api/cgi-bin/menu/delete")
def menu_delete():
    _state().count("menu/delete")
    appid, error = _oa_token_or_error()
    if error:
        return error
    _state().records["menus"].delete(appid)
    return wx_error(0, "ok")


# -- fans ----------------------------------------------------------------------------------
@bp.get("/api/cgi-bin/user/info")
def user_info():
    """A fan's basic information (获取用户基本信息), unionid included, as for an account bound to
    the open platform; someone who does not follow gets only subscribe 0 and the openid."""
    state = _state()
    state.count("user/info")
    appid, error = _oa_token_or_error()
    if error:
        return error
    openid = request.args.get("openid", "")
    name = owner_of(state, appid, openid)
    if name is None:
        return wx_error(40003, "invalid openid")
    follow = state.records["oa_followers"].get(openid)
    if follow is None:
        return jsonify(subscribe=0, openid=openid)
    scene = follow.get("scene")
    return jsonify(subscribe=1, openid=openid, language="zh_CN", subscribe_time=follow["subscribe_time"],
                   unionid=identity(appid, name, state).unionid, remark="", groupid=0, tagid_list=[],
                   subscribe_scene="ADD_SCENE_QR_CODE" if scene else "ADD_SCENE_OTHERS", qr_scene=0,
                   qr_scene_str=scene or "")


# -- JS-SDK ticket -------------------------------------------------------------------------
@bp.get("/api/cgi-bin/ticket/getticket")
def get_ticket():
    state = _state()
    state.count("getticket")
    appid, error = _oa_token_or_error()
    if error:
        return error
    if request.args.get("type") not in ("jsapi", "wx_card"):
        return wx_error(40097, "invalid args")
    key, tickets, held = f"{appid}:{request.args['type']}", state.records["tickets"], None
    while held is None:  # the same ticket for every worker until it expires
        tickets.add(key, (secrets.token_urlsafe(64), time.time() + TICKET_TTL), ttl=TICKET_TTL)
        held = tickets.get(key)
    ticket, expires_at = held
    return jsonify(errcode=0, errmsg="ok", ticket=ticket, expires_in=max(1, int(expires_at - time.time())))


# -- web-page OAuth ------------------------------------------------------------------------
@bp.get("/open/connect/oauth2/authorize")
def oauth_authorize():
    """Consent at once and send the browser back to redirect_uri?code=…&state=…."""
    state, args, config = _state(), request.args, current_app.config
    state.count("oauth2/authorize")
    if not args.get("appid"):
        return _oauth_page_error(10012, "appid 不能为空")
    if args["appid"] != config["WECHAT_OA_APPID"]:
        return _oauth_page_error(10016, "appid 参数错误")
    redirect_uri = args.get("redirect_uri", "")
    if not redirect_uri:
        return _oauth_page_error(10011, "redirect_uri 不能为空")
    allowed_host = urlsplit(config["PUBLIC_BASE_URL"]).hostname
    if urlsplit(redirect_uri).hostname != allowed_host:
        return _oauth_page_error(10003, "redirect_uri 域名与后台配置不一致")
    if args.get("scope") not in SCOPES:
        return _oauth_page_error(10005, "此公众号并没有这些 scope 的权限")
    name = args.get("dev_user") or "wxuser"
    if not DEV_NAME.match(name):
        return _oauth_page_error(40003, "invalid dev_user")
    remember_profile(state, name, nickname=args.get("dev_nickname"), avatar_url=args.get("dev_avatar"))
    code = issue_code(state, "oauth_codes", {"name": name, "scope": args["scope"], "appid": args["appid"]})
    separator = "&" if urlsplit(redirect_uri).query else "?"
    return redirect(redirect_uri + separator + urlencode({"code": code, "state": args.get("state", "")}))


def _oauth_page_error(errcode: int, message: str):
    """WeChat shows an error page in the browser; we answer the same codes as JSON."""
    response = jsonify(errcode=errcode, errmsg=message)
    response.status_code = 400
    return response


@bp.get("/api/sns/oauth2/access_token")
def oauth_access_token():
    state, args, config = _state(), request.args, current_app.config
    state.count("sns/oauth2/access_token")
    if args.get("appid") != config["WECHAT_OA_APPID"]:
        return wx_error(40013, "invalid appid")
    if args.get("secret") != config["WECHAT_OA_SECRET"]:
        return wx_error(40125, "invalid appsecret")
    if args.get("grant_type") != "authorization_code":
        return wx_error(40002, "invalid grant_type")
    grant, errcode = redeem_code(state, "oauth_codes", args.get("code", ""))
    if grant is None:
        return wx_error(errcode, "code been used" if errcode == 40163 else "invalid code")
    person = identity(grant["appid"], grant["name"], state)
    access_token = secrets.token_urlsafe(48)
    state.records["sns_tokens"].put(access_token, {**grant, "expires_at": time.time() + 7200}, ttl=7200)
    answer = {"access_token": access_token, "expires_in": 7200, "refresh_token": secrets.token_urlsafe(48),
              "openid": person.openid, "scope": grant["scope"], "is_snapshotuser": 0}
    if grant["scope"] == "snsapi_userinfo":
        answer["unionid"] = person.unionid
    return jsonify(answer)


@bp.get("/api/sns/userinfo")
def oauth_userinfo():
    state = _state()
    state.count("sns/userinfo")
    grant = state.records["sns_tokens"].get(request.args.get("access_token") or "-")
    if grant is None or grant["expires_at"] < time.time():
        return wx_error(40001, "invalid credential, access_token is invalid or not latest")
    person = identity(grant["appid"], grant["name"], state)
    if request.args.get("openid") != person.openid:
        return wx_error(40003, "invalid openid")
    if grant["scope"] != "snsapi_userinfo":
        return wx_error(48001, "api unauthorized")
    return jsonify(openid=person.openid, nickname=person.nickname, sex=0, province="", city="", country="",
                   headimgurl=person.avatar_url, privilege=[], unionid=person.unionid)
