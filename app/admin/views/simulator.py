"""The WeChat simulator (sandbox mode only): the merchant plays a fan of the official account.

Every action goes through the sandbox's own simulate functions, so the push is signed,
encrypted and POSTed over HTTP to /wechat/oa exactly as WeChat would; the panel shows the
reply. The pay side is in simulator_pay.py. Outside sandbox mode every page here is a 404.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import abort, current_app, jsonify, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.admin import bp
from app.admin.security import any_staff, area, current_staff
from app.core.errors import DomainError, ValidationError
from app.core.validation import json_object, validate
from app.extensions import db
from app.officialaccount.models import Fan
from app.shop.services import shop_settings
from app.wechat.sandbox.identities import DEV_NAME, identity
from app.wechat.sandbox.oa_api import published_menu
from app.wechat.sandbox.simulate_oa import ACTIONS, simulate

OA_ACTIONS = "text,image,location,subscribe,unsubscribe,scan,click"


def sandbox_only(view: Callable) -> Callable:
    """A 404 unless the app runs with the WeChat sandbox."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        if "wechat_sandbox" not in current_app.extensions:
            abort(404)
        return view(*args, **kwargs)

    return wrapper


# -- pages ---------------------------------------------------------------------------------
@bp.get("/simulator")
@any_staff
@sandbox_only
def simulator():
    """The sidebar's entry: the first side this staff member may use."""
    staff = current_staff()
    if staff.can("wechat"):
        return redirect(url_for("admin.simulator_fan"))
    if staff.can("finance"):
        return redirect(url_for("admin.simulator_pay"))
    abort(403)


@bp.get("/simulator/fan")
@area("wechat")
@sandbox_only
def simulator_fan():
    urls = {action: url_for("admin.simulator_oa_action", action=action) for action in OA_ACTIONS.split(",")}
    urls.update(menu=url_for("admin.simulator_menu"), fans=url_for("admin.simulator_fans"))
    account_name = shop_settings().name
    db.session.commit()  # the settings row, when it was just created with its defaults
    return render_template("admin/simulator_fan.html", account_name=account_name, urls=urls)


# -- JSON API for the panel ----------------------------------------------------------------
@bp.get("/simulator/api/oa/menu")
@area("wechat")
@sandbox_only
def simulator_menu():
    """The menu fans see: what the (sandbox) WeChat has, not what is stored here unpublished."""
    menu = published_menu(current_app.config["WECHAT_OA_APPID"])
    return jsonify(published=menu is not None, buttons=(menu or {}).get("button", []))


@bp.get("/simulator/api/oa/fans")
@area("wechat")
@sandbox_only
def simulator_fans():
    fans = db.session.scalars(select(Fan).order_by(Fan.updated_at.desc(), Fan.id.desc()).limit(30))
    return jsonify(fans=[{"openid": fan.openid, "subscribed": fan.is_subscribed, "scene": fan.subscribe_scene}
                         for fan in fans])


@bp.post(f"/simulator/api/oa/<any({OA_ACTIONS}):action>")
@area("wechat")
@sandbox_only
def simulator_oa_action(action: str):
    """Push what WeChat pushes when a fan does `action`; body: the sandbox's simulate body,
    with `name` (a dev user, e.g. alice) instead of `openid` if wanted."""
    data = json_object()
    if "name" in data:
        name = data.pop("name")
        if not isinstance(name, str) or not DEV_NAME.match(name):
            raise ValidationError(_("Some fields are invalid."),
                                  fields={"name": _("Letters, digits, _ and - only (at most 32).")})
        data["openid"] = identity(current_app.config["WECHAT_OA_APPID"], name,
                                  current_app.extensions["wechat_sandbox"]).openid
    body = validate(ACTIONS[action][0], data)
    db.session.commit()  # hold nothing while the webhook, another request, writes
    result, status = simulate(action, body)
    if status != 200:
        raise DomainError(_("Could not reach the official-account webhook (%(error)s).", error=result["error"]),
                          code="webhook_unreachable", status=502)
    return jsonify(exchange_view(result, body.openid))


def exchange_view(result: dict[str, Any], openid: str) -> dict[str, Any]:
    """The sandbox's answer as the chat panel shows it: the replies as bubbles, or an error."""
    reply = result["reply"]
    answer: dict[str, Any] = {"openid": openid, "status": result["status"], "elapsed_ms": result["elapsed_ms"],
                              "sent_xml": result["sent"]["xml"], "reply_xml": reply["xml"] or reply["raw"],
                              "replies": [], "error": None}
    if result["status"] != 200:
        answer["error"] = _("The webhook refused the push: HTTP %(status)s.", status=result["status"])
    elif reply.get("error") or reply["signature_valid"] is False:
        answer["error"] = _("WeChat could not read the reply; the fan sees “This account cannot serve you now”.")
    elif reply["message"]:
        answer["replies"] = [reply_bubble(reply["message"])]
    return answer


def _items(value: Any) -> list[dict]:
    """xmltodict gives one <item> as a dict and several as a list."""
    items = (value or {}).get("item") if isinstance(value, dict) else None
    if isinstance(items, dict):
        return [items]
    return [item for item in items or [] if isinstance(item, dict)]


def reply_bubble(message: dict[str, Any]) -> dict[str, Any]:
    kind = message.get("MsgType")
    if kind == "text":
        return {"kind": "text", "content": message.get("Content") or ""}
    if kind == "news":
        return {"kind": "news", "articles": [
            {"title": item.get("Title") or "", "description": item.get("Description") or "",
             "picurl": item.get("PicUrl") or "", "url": item.get("Url") or ""}
            for item in _items(message.get("Articles"))]}
    if kind == "image":
        return {"kind": "image", "media_id": (message.get("Image") or {}).get("MediaId") or ""}
    if kind == "music":
        music = message.get("Music") or {}
        return {"kind": "music", "title": music.get("Title") or "", "description": music.get("Description") or "",
                "url": music.get("MusicUrl") or ""}
    return {"kind": "other", "msg_type": str(kind or "")}
