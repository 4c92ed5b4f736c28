"""Mini-program adapters: login (code2session), phone number, unlimited codes, subscribe send.

Plain values in, plain values out; WeChat's refusals come out as WeChatError (see errors.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import requests
from flask import current_app
from flask_babel import gettext as _
from wechatpy.exceptions import WeChatClientException

from app.core.errors import ValidationError
from app.wechat.clients import mp_client
from app.wechat.errors import WeChatError, wechat_call

# WeChat's rule for getwxacodeunlimit scenes: at most 32 visible characters from this set.
SCENE = re.compile(r"^[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]{1,32}$")
PAGE = re.compile(r"^[A-Za-z0-9_-]+(/[A-Za-z0-9_.-]+)*$")
CODE_WIDTHS = (280, 1280)


@dataclass(frozen=True)
class MpSession:
    openid: str
    unionid: str | None
    session_key: str


def code_to_session(code: str) -> MpSession:
    """Exchange a wx.login code. Called without an access_token, as WeChat documents."""
    config = current_app.config
    with wechat_call("jscode2session"):
        response = requests.get(f"{config['WECHAT_API_BASE_URL'].rstrip('/')}/sns/jscode2session", params={
            "appid": config["WECHAT_MP_APPID"], "secret": config["WECHAT_MP_SECRET"],
            "js_code": code, "grant_type": "authorization_code",
        }, timeout=config["WECHAT_HTTP_TIMEOUT"])
        response.raise_for_status()
        result = response.json()
        if result.get("errcode"):
            raise WeChatClientException(result["errcode"], result.get("errmsg", ""))
    return MpSession(openid=result["openid"], unionid=result.get("unionid") or None,
                     session_key=result.get("session_key", ""))


def phone_number(code: str) -> str:
    """The phone number a getPhoneNumber code stands for (with its country code if not +86)."""
    with wechat_call("getuserphonenumber"):
        result = mp_client().post("https://api.weixin.qq.com/wxa/business/getuserphonenumber",
                                  data={"code": code})
    info = result.get("phone_info") or {}
    country = str(info.get("countryCode") or "86")
    pure = info.get("purePhoneNumber") or info.get("phoneNumber")
    if not pure:
        raise WeChatError(None, "getuserphonenumber returned no number")
    return pure if country == "86" else f"+{country}{pure}"


def check_scene(scene: str, page: str | None, width: int) -> None:
    """The scene as WeChat accepts it: callers pass short codes, never long ids."""
    fields = {}
    if not isinstance(scene, str) or not SCENE.match(scene):
        fields["scene"] = _("At most 32 characters: letters, digits and !#$&'()*+,/:;=?@-._~ only.")
    if page is not None and not PAGE.match(page):
        fields["page"] = _("A page path like pages/index/index, without a leading / or parameters.")
    if not CODE_WIDTHS[0] <= width <= CODE_WIDTHS[1]:
        fields["width"] = _("Between %(low)s and %(high)s pixels.", low=CODE_WIDTHS[0], high=CODE_WIDTHS[1])
    if fields:
        raise ValidationError(_("Some fields are invalid."), fields=fields)


def unlimited_code_image(scene: str, page: str | None, width: int) -> bytes:
    """getwxacodeunlimit: the image bytes (PNG or JPEG) of a mini-program code for `scene`."""
    check_scene(scene, page, width)
    with wechat_call("getwxacodeunlimit"):
        response = mp_client().wxa.get_wxa_code_unlimited(scene, width=width, page=page)
    if isinstance(response, dict) or not response.content:  # a JSON answer without an errcode
        raise WeChatError(None, "getwxacodeunlimit returned no image")
    return response.content


def send_subscribe_message(openid: str, template_id: str, data: dict, page: str | None) -> None:
    """subscribe/send; WeChat's refusal (e.g. 43101) surfaces as WeChatError with its errcode."""
    with wechat_call("subscribe/send"):
        mp_client().wxa.send_subscribe_message(openid, template_id, data, page=page or None)
