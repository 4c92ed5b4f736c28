"""How WeChat's menu/create judges a menu: the first problem, as its errcode and errmsg.

Limits from WeChat's createCustomMenu documentation: 1–3 buttons, 1–5 sub-buttons, names of
at most 16 bytes (60 for sub-buttons), keys of at most 128 bytes, urls of at most 1024.
"""

from __future__ import annotations

from typing import Any

KEY_TYPES = {"click", "scancode_push", "scancode_waitmsg", "pic_sysphoto", "pic_photo_or_album",
             "pic_weixin", "location_select"}
MEDIA_TYPES = {"media_id", "view_limited"}
ARTICLE_TYPES = {"article_id", "article_view_limited"}
ALL_TYPES = KEY_TYPES | MEDIA_TYPES | ARTICLE_TYPES | {"view", "miniprogram"}

Problem = tuple[int, str]


def _size(value: Any) -> int:
    return len(str(value).encode("utf-8")) if value is not None else 0


def _leaf_problem(button: dict, sub: bool) -> Problem | None:
    prefix, codes = ("sub button", (40024, 40026, 40027, 40054)) if sub else ("button", (40017, 40019, 40020, 40055))
    type_code, key_code, url_code, domain_code = codes
    kind = button.get("type")
    if kind not in ALL_TYPES:
        return type_code, f"invalid {prefix} type"
    if kind in KEY_TYPES and not 0 < _size(button.get("key")) <= 128:
        return key_code, f"invalid {prefix} key size"
    if kind in ("view", "miniprogram"):
        url = str(button.get("url") or "")
        if not 0 < _size(url) <= 1024:
            return url_code, f"invalid {prefix} url size"
        if not url.startswith(("http://", "https://")):
            return domain_code, f"invalid {prefix} url domain"
    if kind == "miniprogram" and not (button.get("appid") and button.get("pagepath")):
        return 40097, "invalid args, miniprogram needs appid and pagepath"
    if kind in MEDIA_TYPES and not button.get("media_id"):
        return 40007, "invalid media_id"
    if kind in ARTICLE_TYPES and not button.get("article_id"):
        return 40097, "invalid args, article_id is required"
    return None


def menu_problem(body: Any) -> Problem | None:
    """None if WeChat would accept `body` ({"button": [...]}), else its (errcode, errmsg)."""
    if not isinstance(body, dict) or not isinstance(body.get("button"), list):
        return 47001, "data format error"
    buttons = body["button"]
    if not 1 <= len(buttons) <= 3:
        return 40016, "invalid button size"
    for button in buttons:
        if not isinstance(button, dict):
            return 47001, "data format error"
        if not 0 < _size(button.get("name")) <= 16:
            return 40018, "invalid button name size"
        subs = button.get("sub_button") or []
        if not subs:
            problem = _leaf_problem(button, sub=False)
            if problem:
                return problem
            continue
        if not isinstance(subs, list) or len(subs) > 5:
            return 40023, "invalid sub button size"
        for sub_button in subs:
            if not isinstance(sub_button, dict):
                return 47001, "data format error"
            if not 0 < _size(sub_button.get("name")) <= 60:
                return 40025, "invalid sub button name size"
            problem = _leaf_problem(sub_button, sub=True)
            if problem:
                return problem
    return None


def as_wechat_returns(body: dict) -> dict:
    """What menu/get answers: the buttons as created, each leaf with an empty sub_button."""

    def button(raw: dict) -> dict:
        subs = raw.get("sub_button") or []
        shown = {key: value for key, value in raw.items() if key != "sub_button"}
        shown["sub_button"] = [button(sub) for sub in subs] if subs else []
        if subs:
            shown.pop("type", None)
        return shown

    return {"button": [button(raw) for raw in body["button"]]}
