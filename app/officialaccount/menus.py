"""Use cases for the official account's menu: validate, save, publish, read back.

Validation follows WeChat's createCustomMenu limits so the merchant sees every problem at
once, named by its place in the tree (`buttons.1.sub_button.3.name`), instead of WeChat's
single errcode. Services flush; the caller commits.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app.core.errors import ValidationError
from app.core.models import utcnow
from app.extensions import db
from app.officialaccount.menu_models import OfficialAccountMenu
from app.wechat.clients import oa_client
from app.wechat.errors import wechat_call

MAX_BUTTONS, MAX_SUB_BUTTONS = 3, 5
NAME_BYTES, SUB_NAME_BYTES, KEY_BYTES, URL_BYTES = 16, 60, 128, 1024
# Each button type and the fields it needs, in the order WeChat lists them.
BUTTON_FIELDS: dict[str, tuple[str, ...]] = {
    "click": ("key",), "scancode_push": ("key",), "scancode_waitmsg": ("key",), "pic_sysphoto": ("key",),
    "pic_photo_or_album": ("key",), "pic_weixin": ("key",), "location_select": ("key",),
    "view": ("url",), "miniprogram": ("url", "appid", "pagepath"),
    "media_id": ("media_id",), "view_limited": ("media_id",),
    "article_id": ("article_id",), "article_view_limited": ("article_id",),
}
_LIMITS = {"key": KEY_BYTES, "url": URL_BYTES, "appid": 32, "pagepath": 1024, "media_id": 128, "article_id": 128}


def _bytes(value: str) -> int:
    return len(value.encode("utf-8"))


def _too_long(limit: int) -> str:
    return _("At most %(n)s bytes (a Chinese character takes 3).", n=limit)


def _check_leaf(button: dict, path: str, errors: dict[str, str]) -> dict:
    kind = button.get("type")
    if kind not in BUTTON_FIELDS:
        errors[f"{path}.type"] = _("Not one of the allowed values.") if kind else _("This field is required.")
        return {}
    clean: dict[str, Any] = {"type": kind}
    for field in BUTTON_FIELDS[kind]:
        value = button.get(field)
        if not isinstance(value, str) or not value.strip():
            errors[f"{path}.{field}"] = _("This field is required.")
        elif _bytes(value) > _LIMITS[field]:
            errors[f"{path}.{field}"] = _too_long(_LIMITS[field])
        elif field == "url" and (urlsplit(value).scheme not in ("http", "https") or not urlsplit(value).netloc):
            errors[f"{path}.{field}"] = _("Must be an http:// or https:// address.")
        else:
            clean[field] = value
    return clean


def _check_button(button: Any, path: str, name_limit: int, errors: dict[str, str], *, top: bool) -> dict:
    if not isinstance(button, dict):
        errors[path] = _("Must be an object.")
        return {}
    name = button.get("name")
    if not isinstance(name, str) or not name.strip():
        errors[f"{path}.name"] = _("This field is required.")
    elif _bytes(name) > name_limit:
        errors[f"{path}.name"] = _too_long(name_limit)
    subs = button.get("sub_button") or []
    if subs and not top:
        errors[f"{path}.sub_button"] = _("Sub-buttons cannot have sub-buttons of their own.")
    if not top or not subs:
        return {"name": name, **_check_leaf(button, path, errors)}
    if not isinstance(subs, list):
        errors[f"{path}.sub_button"] = _("Must be a list.")
        return {}
    if len(subs) > MAX_SUB_BUTTONS:
        errors[f"{path}.sub_button"] = _("At most %(n)s sub-buttons.", n=MAX_SUB_BUTTONS)
    if button.get("type"):
        errors[f"{path}.type"] = _("A button with sub-buttons has no type of its own.")
    return {"name": name, "sub_button": [
        _check_button(sub, f"{path}.sub_button.{index}", SUB_NAME_BYTES, errors, top=False)
        for index, sub in enumerate(subs)]}


def validate_buttons(buttons: Any) -> list[dict]:
    """The menu tree cleaned to WeChat's shape, or ValidationError naming every problem."""
    errors: dict[str, str] = {}
    if not isinstance(buttons, list) or not buttons:
        errors["buttons"] = _("Add at least one button.") if isinstance(buttons, list) else _("Must be a list.")
        raise ValidationError(_("The menu has problems."), fields=errors)
    if len(buttons) > MAX_BUTTONS:
        errors["buttons"] = _("At most %(n)s top-level buttons.", n=MAX_BUTTONS)
    clean = [_check_button(button, f"buttons.{index}", NAME_BYTES, errors, top=True)
             for index, button in enumerate(buttons)]
    if errors:
        raise ValidationError(_("The menu has problems."), fields=errors)
    return clean


def get_menu() -> OfficialAccountMenu:
    menu = db.session.scalar(select(OfficialAccountMenu).where(OfficialAccountMenu.name == "default"))
    if menu is None:
        menu = OfficialAccountMenu(name="default", buttons=[])
        db.session.add(menu)
        db.session.flush()
    return menu


def save_menu(buttons: Any) -> OfficialAccountMenu:
    """Store a validated menu (not yet on WeChat)."""
    menu = get_menu()
    menu.buttons = validate_buttons(buttons)
    db.session.flush()
    return menu


def publish_menu() -> OfficialAccountMenu:
    """Send the stored menu to WeChat, then keep what WeChat reports back."""
    menu = get_menu()
    buttons = validate_buttons(menu.buttons)
    with wechat_call("menu/create"):
        oa_client().menu.create({"button": buttons})
    menu.published_at = utcnow()
    return pull_menu()


def pull_menu() -> OfficialAccountMenu:
    """Replace the stored menu with the one WeChat has (none: an empty menu)."""
    menu = get_menu()
    with wechat_call("menu/get"):
        answer = oa_client().menu.get()
    menu.buttons = from_wechat((answer or {}).get("menu", {}).get("button", []))
    menu.published_buttons = menu.buttons
    menu.pulled_at = utcnow()
    db.session.flush()
    return menu


def has_unpublished_changes(menu: OfficialAccountMenu) -> bool:
    """Whether the stored menu differs from what WeChat had at the last publish or pull
    (a menu never published counts as changed once it has buttons)."""
    if menu.published_buttons is None:
        return bool(menu.buttons)
    return menu.buttons != menu.published_buttons


def click_keys(buttons: list[dict]) -> list[str]:
    """The keys of the menu's CLICK buttons, in menu order: each may have its own reply."""
    keys: list[str] = []
    for button in buttons:
        for leaf in button.get("sub_button") or [button]:
            if leaf.get("type") == "click" and leaf.get("key") and leaf["key"] not in keys:
                keys.append(leaf["key"])
    return keys


def from_wechat(buttons: list[dict]) -> list[dict]:
    """menu/get's tree without its empty sub_button lists and the fields it adds."""

    def button(raw: dict) -> dict:
        subs = raw.get("sub_button") or []
        if isinstance(subs, dict):  # some accounts answer {"list": [...]}
            subs = subs.get("list", [])
        if subs:
            return {"name": raw.get("name", ""), "sub_button": [button(sub) for sub in subs]}
        fields = ("name", "type", *BUTTON_FIELDS.get(raw.get("type", ""), ()))
        return {field: raw[field] for field in fields if field in raw}

    return [button(raw) for raw in buttons]


def seed_demo_menu() -> list[str]:
    """A demo menu (stored, not published: `flask wechat menu publish` sends it)."""
    menu = get_menu()
    if menu.buttons:
        return ["menu: already there"]
    config = current_app.config
    if not config["WECHAT_MP_APPID"]:
        return ["menu: skipped (the demo menu opens the mini-program; WECHAT_MP_APPID is not set)"]
    shop = {"type": "miniprogram", "url": config["PUBLIC_BASE_URL"], "appid": config["WECHAT_MP_APPID"]}
    save_menu([
        {"name": "逛商城", **shop, "pagepath": "pages/home/index"},
        {"name": "赚佣金", "sub_button": [
            {"name": "成为分销员", **shop, "pagepath": "packages/distribution/apply"},
            {"name": "我的推广海报", "type": "click", "key": "MY_POSTER"},
            {"name": "佣金规则", "type": "click", "key": "COMMISSION_RULES"},
        ]},
        {"name": "我的", "sub_button": [
            {"name": "我的订单", **shop, "pagepath": "pages/orders/list"},
            {"name": "扫码查单", "type": "scancode_waitmsg", "key": "SCAN_ORDER"},
            {"name": "联系客服", "type": "click", "key": "CONTACT_US"},
        ]},
    ])
    return ["menu: demo menu stored (`flask wechat menu publish` sends it to WeChat)"]
