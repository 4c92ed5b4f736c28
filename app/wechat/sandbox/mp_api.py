"""Mini-program APIs: login (code2session), phone number, unlimited codes, subscribe messages.

Dev codes stand in for wx.login / getPhoneNumber codes: `dev:<name>` (or `dev:<name>:<n>` for
a fresh code for the same user) is user `name`; each code works once; anything else is 40029.
"""

from __future__ import annotations

import io
import re
import time

import qrcode
from flask import current_app, jsonify, request
from PIL import Image
from qrcode.constants import ERROR_CORRECT_M

from app.wechat.sandbox import bp
from app.wechat.sandbox.errors import require_token, wx_error
from app.wechat.sandbox.identities import DEV_NAME, dev_phone, identity, use_dev_code
from app.wechat.sandbox.subscribe_rules import data_problem

SCENE_CHARS = re.compile(r"^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]+$")
PAGE = re.compile(r"^[A-Za-z0-9_-]+(/[A-Za-z0-9_.-]+)*$")
OPENID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
TEMPLATE_ID = re.compile(r"^[A-Za-z0-9_-]{1,128}$")


def _state():
    return current_app.extensions["wechat_sandbox"]


def _mp_token_or_error():
    appid = require_token(_state())
    if appid is None:
        return None, wx_error(40001, "invalid credential, access_token is invalid or not latest")
    if appid != current_app.config["WECHAT_MP_APPID"]:
        return None, wx_error(48001, "api unauthorized")
    return appid, None


def _code_error(errcode: int):
    return wx_error(errcode, "code been used" if errcode == 40163 else "invalid code")


@bp.get("/api/sns/jscode2session")
def jscode2session():
    state, args, config = _state(), request.args, current_app.config
    state.count("jscode2session")
    if args.get("appid") != config["WECHAT_MP_APPID"]:
        return wx_error(40013, "invalid appid")
    if args.get("secret") != config["WECHAT_MP_SECRET"]:
        return wx_error(40125, "invalid appsecret")
    if args.get("grant_type") != "authorization_code":
        return wx_error(40002, "invalid grant_type")
    name, errcode = use_dev_code(state, "jscode", args.get("js_code", ""))
    if name is None:
        return _code_error(errcode)
    person = identity(config["WECHAT_MP_APPID"], name, state)
    return jsonify(openid=person.openid, unionid=person.unionid, session_key=f"sandbox-session-{name}")


@bp.post("/api/wxa/business/getuserphonenumber")
def phone_number():
    state = _state()
    state.count("getuserphonenumber")
    appid, error = _mp_token_or_error()
    if error:
        return error
    body = request.get_json(force=True, silent=True) or {}
    name, errcode = use_dev_code(state, "phone", str(body.get("code", "")))
    if name is None:
        return _code_error(errcode)
    phone = dev_phone(name)
    return jsonify(errcode=0, errmsg="ok", phone_info={
        "phoneNumber": phone, "purePhoneNumber": phone, "countryCode": "86",
        "watermark": {"timestamp": int(time.time()), "appid": appid},
    })


@bp.post("/api/wxa/getwxacodeunlimit")
def unlimited_code():
    """A real QR code of the scene, as a PNG of `width` pixels square (WeChat: 280–1280)."""
    state = _state()
    state.count("getwxacodeunlimit")
    _appid, error = _mp_token_or_error()
    if error:
        return error
    body = request.get_json(force=True, silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("scene"), str) or not 0 < len(body["scene"]) <= 32:
        return wx_error(40169, "invalid length for scene, or the data is not json string")
    if not SCENE_CHARS.match(body["scene"]):
        return wx_error(40129, "invalid scene")
    if body.get("page") is not None and not PAGE.match(str(body["page"])):
        return wx_error(41030, "invalid page")
    try:
        width = min(1280, max(280, int(body.get("width", 430))))
    except (TypeError, ValueError):
        return wx_error(40097, "invalid args")
    png = _qr_png(body["scene"], width, body.get("line_color"), bool(body.get("is_hyaline")))
    state.records["wxacodes"].put(body["scene"], {"page": body.get("page"), "width": width})
    return current_app.response_class(png, mimetype="image/png")


def _qr_png(text: str, width: int, line_color, transparent: bool) -> bytes:
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=2)
    code.add_data(text)
    code.make(fit=True)
    try:
        colour = tuple(int((line_color or {}).get(c, 0)) for c in "rgb")
    except (TypeError, ValueError, AttributeError):
        colour = (0, 0, 0)
    image = code.make_image(fill_color=colour, back_color="white").get_image().convert("RGB")
    if transparent:  # is_hyaline: the white background becomes see-through
        image.putalpha(image.convert("L").point(lambda level: 0 if level == 255 else 255))
    image = image.resize((width, width), Image.Resampling.NEAREST)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@bp.post("/api/cgi-bin/message/subscribe/send")
def subscribe_send():
    """Records what would reach the user; 43101 for users flagged as refusing."""
    state = _state()
    state.count("subscribe/send")
    _appid, error = _mp_token_or_error()
    if error:
        return error
    body = request.get_json(force=True, silent=True)
    if not isinstance(body, dict):
        return wx_error(47001, "data format error")
    touser, template_id = str(body.get("touser") or ""), str(body.get("template_id") or "")
    if not OPENID.match(touser):
        return wx_error(40003, "invalid openid")
    if not TEMPLATE_ID.match(template_id):
        return wx_error(40037, "invalid template_id")
    if body.get("page") is not None and not PAGE.match(str(body["page"]).split("?", 1)[0]):
        return wx_error(41030, "invalid page")
    problem = data_problem(body.get("data"))
    if problem:
        return wx_error(47003, f"argument invalid! {problem}")
    if state.is_refusing(touser):
        return wx_error(43101, "user refuse to accept the msg")
    state.record_sent({"touser": touser, "template_id": template_id, "page": body.get("page"), "data": body["data"]})
    return wx_error(0, "ok")


# -- dev helpers (not WeChat APIs): for tests and curl ----------------------------------------
@bp.post("/dev/subscribe/refuse")
def dev_subscribe_refuse():
    """Flag a user (by dev `name` or `openid`) as refusing subscribe messages, or clear it."""
    body = request.get_json(force=True, silent=True) or {}
    openid = body.get("openid")
    if not openid and DEV_NAME.match(str(body.get("name", ""))):
        openid = identity(current_app.config["WECHAT_MP_APPID"], body["name"]).openid
    if not openid:
        return wx_error(40003, "invalid openid")
    return jsonify(openid=openid, refusing=_state().set_refusing(openid, bool(body.get("refuse", True))))


@bp.get("/dev/subscribe/sent")
def dev_subscribe_sent():
    return jsonify(sent=_state().subscribe_records()["sent"])
