"""Official-account parametric QR codes (生成带参数的二维码): `cgi-bin/qrcode/create`.

Answers as WeChat does: `ticket`, `url` (what the QR code encodes) and, for temporary codes,
`expire_seconds`. A permanent code for the same scene gets the same ticket again. The sandbox
remembers each ticket's scene, so a simulated scan of the code can follow it.
"""

from __future__ import annotations

import base64
import hashlib
import time

from flask import jsonify, request

from app.wechat.sandbox import bp
from app.wechat.sandbox.errors import wx_error
from app.wechat.sandbox.oa_api import _oa_token_or_error, _state

TEMPORARY = ("QR_SCENE", "QR_STR_SCENE")
PERMANENT = ("QR_LIMIT_SCENE", "QR_LIMIT_STR_SCENE")
MAX_EXPIRE = 2_592_000  # 30 days
DEFAULT_EXPIRE = 60
MAX_PERMANENT_ID = 100_000


def _scene_problem(action: str, scene: object) -> tuple[int, str] | None:
    if not isinstance(scene, dict):
        return 40053, "invalid action info"
    if action.endswith("STR_SCENE"):
        value = scene.get("scene_str")
        if not isinstance(value, str) or not 1 <= len(value) <= 64:
            return 40053, "invalid action info, scene_str length must be 1-64"
        return None
    value = scene.get("scene_id")
    if isinstance(value, bool) or not isinstance(value, int):
        return 40053, "invalid action info, scene_id must be an integer"
    if action == "QR_LIMIT_SCENE" and not 1 <= value <= MAX_PERMANENT_ID:
        return 40053, "invalid action info, scene_id of a permanent code is 1-100000"
    if action == "QR_SCENE" and not 0 < value < 2**32:
        return 40053, "invalid action info, scene_id is a 32-bit positive integer"
    return None


@bp.post("/api/cgi-bin/qrcode/create")
def oa_qrcode_create():
    state = _state()
    state.count("qrcode/create")
    appid, error = _oa_token_or_error()
    if error:
        return error
    body = request.get_json(force=True, silent=True)
    if not isinstance(body, dict):
        return wx_error(44002, "empty post data")
    action = body.get("action_name")
    if action not in TEMPORARY + PERMANENT:
        return wx_error(40052, "invalid action name")
    raw_scene = (body.get("action_info") or {}).get("scene") if isinstance(body.get("action_info"), dict) else None
    problem = _scene_problem(action, raw_scene)
    if problem:
        return wx_error(*problem)
    scene = str(raw_scene.get("scene_str") if action.endswith("STR_SCENE") else raw_scene["scene_id"])
    answer: dict = {}
    if action in TEMPORARY:
        try:
            expire = int(body.get("expire_seconds", DEFAULT_EXPIRE))
        except (TypeError, ValueError):
            return wx_error(40097, "invalid args")
        expire = min(MAX_EXPIRE, max(1, expire))
        seed = f"{appid}\n{action}\n{scene}\n{time.time_ns()}"
        answer["expire_seconds"] = expire
        expires_at: float | None = time.time() + expire
    else:
        seed = f"{appid}\n{action}\n{scene}"  # permanent: the same scene is the same code
        expires_at = None
    digest = hashlib.sha256(seed.encode()).digest()
    path = base64.b32encode(digest[:15]).decode().lower()
    ticket = base64.b64encode(b"gQ" + digest + f"http://weixin.qq.com/q/{path}".encode()).decode()
    url = f"http://weixin.qq.com/q/{path}"
    state.records["oa_qrcodes"].put(url, {"ticket": ticket, "scene": scene, "action_name": action,
                                          "expires_at": expires_at, "appid": appid},
                                    ttl=expires_at - time.time() if expires_at else None)
    return jsonify(ticket=ticket, url=url, **answer)


def scene_of_qr_url(url: str) -> str | None:
    """The scene a sandbox QR code stands for (what a fan's WeChat would read from it)."""
    record = _state().records["oa_qrcodes"].get(url)
    if record is None or (record["expires_at"] is not None and record["expires_at"] <= time.time()):
        return None
    return record["scene"]
