"""Official-account parametric QR codes: a ticket and the URL the QR code encodes.

A permanent string-scene code (QR_LIMIT_STR_SCENE) never changes, so each scene is asked for
once and its URL kept in Redis; scanning it follows the account and pushes the scene to us
(`qrscene_<scene>` on subscribe, the bare scene on SCAN).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext as _

from app.core.errors import ValidationError
from app.extensions import redis_client
from app.wechat.clients import oa_client
from app.wechat.errors import WeChatError, wechat_call

SCENE_STR = re.compile(r"^[\x21-\x7e]{1,64}$")  # WeChat: 1–64 characters; we keep to visible ASCII
URL_KEY = "fenxiao:oaqr:url:{scene}"


@dataclass(frozen=True)
class OaQrCode:
    ticket: str
    url: str
    expire_seconds: int | None


def check_scene_str(scene: str) -> None:
    if not isinstance(scene, str) or not SCENE_STR.match(scene):
        message = _("At most 64 visible ASCII characters.")
        raise ValidationError(_("Some fields are invalid."), fields={"scene": message})


def create_qrcode(scene: str, *, expire_seconds: int | None = None) -> OaQrCode:
    """qrcode/create: permanent (QR_LIMIT_STR_SCENE) without expire_seconds, else temporary."""
    check_scene_str(scene)
    data: dict = {"action_name": "QR_LIMIT_STR_SCENE" if expire_seconds is None else "QR_STR_SCENE",
                  "action_info": {"scene": {"scene_str": scene}}}
    if expire_seconds is not None:
        data["expire_seconds"] = expire_seconds
    with wechat_call("qrcode/create"):
        result = oa_client().qrcode.create(data)
    if not result.get("url") or not result.get("ticket"):
        raise WeChatError(None, "qrcode/create returned no url")
    return OaQrCode(result["ticket"], result["url"], result.get("expire_seconds"))


def permanent_qr_url(scene: str) -> str:
    """The URL a permanent QR code for `scene` encodes, asked of WeChat once per scene."""
    key = URL_KEY.format(scene=scene)
    cached = redis_client.get(key)
    if cached:
        return cached.decode()
    url = create_qrcode(scene).url
    redis_client.set(key, url)
    return url
