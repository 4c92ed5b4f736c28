"""/sandbox/simulate/oa/*: what WeChat pushes when a fan texts, follows, scans or clicks.

Each action builds the XML WeChat would, signs it (and in compatible or safe mode encrypts
it and adds msg_signature), POSTs it over HTTP to this app's own /wechat/oa, checks and
decrypts the answer like WeChat does, and returns both as JSON. For curl and for tests; the
console's WeChat simulator calls `simulate()` with the same bodies. Pushes go in the message
mode the merchant set in the console (what WeChat reads from mp.weixin.qq.com), unless a body
names another one to see it refused.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from typing import Any, Literal
from urllib.parse import urlencode

import requests
import xmltodict
from flask import current_app, jsonify
from pydantic import Field
from wechatpy.crypto import PrpCrypto, WeChatCrypto
from wechatpy.utils import WeChatSigner

from app.core.request_models import Body
from app.core.validation import use_body
from app.extensions import db
from app.officialaccount.message_modes import message_mode
from app.wechat.sandbox import bp

ORIGINAL_ID = "gh_f3a1c0de5a0d"  # the sandbox official account's 原始ID (ToUserName of every push)
PUSH_TIMEOUT = 5.0  # WeChat gives up after 5 seconds
_OPENID = r"^[A-Za-z0-9_-]{1,64}$"
_SCENE = r"^[\x21-\x7e]{1,64}$"


class _Push(Body):
    openid: str = Field(pattern=_OPENID)
    mode: Literal["plain", "compatible", "safe"] | None = Field(
        default=None, description="plain, compatible or safe; default: the mode set in the console")
    create_time: int | None = Field(default=None, ge=1, le=2**31 - 1, description="to replay a push")


class _Message(_Push):
    msg_id: int | None = Field(default=None, ge=1, le=2**63 - 1, description="to replay a message")


class TextPush(_Message):
    content: str = Field(min_length=1, max_length=2048)


class ImagePush(_Message):
    pic_url: str = Field(default="http://mmbiz.qpic.cn/sandbox/image.jpg", max_length=512)
    media_id: str = Field(default="sandbox_media_id", pattern=r"^[A-Za-z0-9_-]{1,128}$")


class LocationPush(_Message):
    latitude: float = Field(ge=-90, le=90)
    longitude: float = Field(ge=-180, le=180)
    scale: int = Field(default=15, ge=1, le=20)
    label: str = Field(default="", max_length=128)


class SubscribePush(_Push):
    scene: str | None = Field(default=None, pattern=_SCENE)


class ScanPush(_Push):
    scene: str = Field(pattern=_SCENE)


class ClickPush(_Push):
    key: str = Field(min_length=1, max_length=128)


def _cdata(value: str) -> str:
    return "<![CDATA[" + value.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _xml(fields: list[tuple[str, str | int | float]]) -> str:
    nodes = "".join(f"<{name}>{value if not isinstance(value, str) else _cdata(value)}</{name}>"
                    for name, value in fields)
    return f"<xml>{nodes}</xml>"


def _create_time(openid: str, requested: int | None) -> int:
    """Now, but strictly after this fan's previous push (WeChat's events are ordered per fan)."""
    if requested is not None:
        return requested

    def after_last(last: int | None) -> tuple[int, int]:
        moment = max(int(time.time()), (last or 0) + 1)
        return moment, moment

    return current_app.extensions["wechat_sandbox"].records["oa_push_times"].change(openid, after_last, ttl=86_400)


def _signature(*parts: str) -> str:
    signer = WeChatSigner()
    signer.add_data(*parts)
    return signer.signature


def _header(body: _Push, msg_type: str) -> list[tuple[str, str | int | float]]:
    return [("ToUserName", ORIGINAL_ID), ("FromUserName", body.openid),
            ("CreateTime", _create_time(body.openid, body.create_time)), ("MsgType", msg_type)]


def _msg_id(body: _Message) -> int:
    return body.msg_id or (int(time.time() * 1000) << 20 | secrets.randbits(20))


def push(fields: list[tuple[str, str | int | float]], mode: str, openid: str) -> tuple[dict[str, Any], int]:
    """Sign (and encrypt) the push, POST it to /wechat/oa, and read the answer as WeChat would:
    the exchange and 200, or 502 when the app could not be reached."""
    config = current_app.config
    token, key, appid = (config["WECHAT_OA_TOKEN"], config["WECHAT_OA_ENCODING_AES_KEY"],
                         config["WECHAT_OA_APPID"])
    plaintext = _xml(fields)
    timestamp, nonce = str(int(time.time())), str(secrets.randbelow(10**10))
    query = {"signature": _signature(token, timestamp, nonce), "timestamp": timestamp, "nonce": nonce,
             "openid": openid}
    body = plaintext
    if mode != "plain":
        crypto = WeChatCrypto(token, key, appid)
        encrypted = PrpCrypto(crypto.key).encrypt(plaintext, appid).decode()
        outer = fields[:1] + ([] if mode == "safe" else fields[1:])  # compatible mode keeps the plaintext too
        body = _xml([*outer, ("Encrypt", encrypted)])
        query.update(encrypt_type="aes", msg_signature=_signature(token, timestamp, nonce, encrypted))
    url = f"{config['PUBLIC_BASE_URL'].rstrip('/')}/wechat/oa?{urlencode(query)}"
    started = time.monotonic()
    try:
        response = requests.post(url, data=body.encode("utf-8"), timeout=PUSH_TIMEOUT,
                                 headers={"Content-Type": "text/xml; charset=utf-8"})
    except requests.RequestException as exc:
        return {"mode": mode, "status": None, "error": type(exc).__name__, "sent": {"xml": plaintext}}, 502
    elapsed_ms = round((time.monotonic() - started) * 1000, 1)
    reply = _read_reply(response.text, mode, token, key, appid)
    return {"mode": mode, "status": response.status_code, "elapsed_ms": elapsed_ms,
            "sent": {"xml": plaintext, "query": query}, "reply": reply}, 200


def _read_reply(raw: str, mode: str, token: str, key: str, appid: str) -> dict:
    result: dict = {"raw": raw, "xml": None, "message": None, "signature_valid": None}
    if not raw.lstrip().startswith("<"):
        return result  # "success", an error text, or nothing
    xml = raw
    try:
        outer = xmltodict.parse(raw)["xml"]
        if mode != "plain" and "Encrypt" in outer:
            expected = _signature(token, outer["TimeStamp"], outer["Nonce"], outer["Encrypt"])
            result["signature_valid"] = expected == outer.get("MsgSignature")
            xml = WeChatCrypto(token, key, appid).decrypt_message(outer, outer["MsgSignature"],
                                                                  outer["TimeStamp"], outer["Nonce"])
        result["xml"] = xml
        result["message"] = xmltodict.parse(xml)["xml"]
    except Exception as exc:  # WeChat would show the fan "该公众号暂时无法提供服务"
        result["error"] = f"unreadable reply ({type(exc).__name__})"
    return result


Fields = list[tuple[str, str | int | float]]


def _text(body: TextPush) -> Fields:
    return [*_header(body, "text"), ("Content", body.content), ("MsgId", _msg_id(body))]


def _image(body: ImagePush) -> Fields:
    return [*_header(body, "image"), ("PicUrl", body.pic_url), ("MediaId", body.media_id), ("MsgId", _msg_id(body))]


def _location(body: LocationPush) -> Fields:
    return [*_header(body, "location"), ("Location_X", body.latitude), ("Location_Y", body.longitude),
            ("Scale", body.scale), ("Label", body.label), ("MsgId", _msg_id(body))]


def _event(body: _Push, event: str, key: str | None = None, ticket: bool = False) -> Fields:
    fields = [*_header(body, "event"), ("Event", event)]
    if key is not None:
        fields.append(("EventKey", key))
    if ticket:
        fields.append(("Ticket", "gQH47joAAAAAAAAAASxodHRwOi8vd2VpeGluLnFxLmNvbS9xL2tIVVNBTkRCT1gAAgQ"))
    return fields


def _subscribe(body: SubscribePush) -> Fields:
    """A follow; with `scene`, through that QR code (EventKey qrscene_<scene> and a Ticket)."""
    if body.scene:
        return _event(body, "subscribe", f"qrscene_{body.scene}", ticket=True)
    return _event(body, "subscribe", "")


def _scan(body: ScanPush) -> Fields:
    """A follower scans a QR code (EventKey is the bare scene)."""
    return _event(body, "SCAN", body.scene, ticket=True)


# action -> (its body, the push it makes)
ACTIONS: dict[str, tuple[type[_Push], Callable[[Any], Fields]]] = {
    "text": (TextPush, _text),
    "image": (ImagePush, _image),
    "location": (LocationPush, _location),
    "subscribe": (SubscribePush, _subscribe),
    "unsubscribe": (_Push, lambda body: _event(body, "unsubscribe", "")),
    "scan": (ScanPush, _scan),
    "click": (ClickPush, lambda body: _event(body, "CLICK", body.key)),
}


def simulate(action: str, body: _Push) -> tuple[dict[str, Any], int]:
    """Push what WeChat pushes for `action` (a key of ACTIONS, with its validated body); a
    follow or unfollow is WeChat's fact before it is pushed (user/info answers accordingly)."""
    fields = ACTIONS[action][1](body)
    followers = current_app.extensions["wechat_sandbox"].records["oa_followers"]
    if action == "subscribe":
        created = next(value for name, value in fields if name == "CreateTime")
        followers.put(body.openid, {"subscribe_time": created, "scene": getattr(body, "scene", None)})
    elif action == "unsubscribe":
        followers.delete(body.openid)
    mode = body.mode or message_mode()
    db.session.rollback()  # hold no read transaction while the webhook, another request, writes
    return push(fields, mode, body.openid)


def _answer(action: str, body: _Push):
    result, status = simulate(action, body)
    return jsonify(result), status


@bp.post("/simulate/oa/text")
@use_body(TextPush)
def simulate_text(body: TextPush):
    return _answer("text", body)


@bp.post("/simulate/oa/image")
@use_body(ImagePush)
def simulate_image(body: ImagePush):
    return _answer("image", body)


@bp.post("/simulate/oa/location")
@use_body(LocationPush)
def simulate_location(body: LocationPush):
    return _answer("location", body)


@bp.post("/simulate/oa/subscribe")
@use_body(SubscribePush)
def simulate_subscribe(body: SubscribePush):
    """A follow; with `scene`, through that QR code (EventKey qrscene_<scene> and a Ticket)."""
    return _answer("subscribe", body)


@bp.post("/simulate/oa/unsubscribe")
@use_body(_Push)
def simulate_unsubscribe(body: _Push):
    return _answer("unsubscribe", body)


@bp.post("/simulate/oa/scan")
@use_body(ScanPush)
def simulate_scan(body: ScanPush):
    """A follower scans a QR code (EventKey is the bare scene)."""
    return _answer("scan", body)


@bp.post("/simulate/oa/click")
@use_body(ClickPush)
def simulate_click(body: ClickPush):
    return _answer("click", body)
