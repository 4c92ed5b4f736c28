"""Official account: the custom menu editor — save (validated against WeChat's limits), publish
to WeChat, load what WeChat has. Every change is audited."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app.admin import bp
from app.admin.security import actor, area
from app.admin.wechat_forms import BUTTON_TYPES, menu_from_form
from app.audit import services as audit
from app.core.errors import DomainError
from app.extensions import db
from app.officialaccount import menus, replies
from app.wechat.errors import WeChatError

LEAF_FIELDS = ("key", "appid", "pagepath", "url", "media_id", "article_id")  # in the order the editor shows them


def _record(action: str, before: dict, after: dict) -> None:
    audit.record(actor(), area="wechat", action=f"menu.{action}", target_type="oa_menu", target_id="default",
                 summary=_("Custom menu"), before=before, after=after)


def _published(menu) -> dict:
    moment = menu.published_at.isoformat(timespec="seconds") if menu.published_at else None
    return {"buttons": menu.published_buttons, "published_at": moment}


def _reason(refusal: DomainError) -> str:
    if isinstance(refusal, WeChatError):
        if refusal.errcode is None:
            return _("WeChat could not be reached.")
        return _("WeChat answered errcode %(code)s (%(message)s).", code=refusal.errcode, message=refusal.errmsg)
    return "; ".join(refusal.fields.values()) or refusal.message


def _render(buttons: list, errors: dict[str, str], status: int = 200):
    menu = menus.get_menu()
    keys = menus.click_keys([button for button in buttons if isinstance(button, dict)])
    click_replies = {key: replies.get_special_reply(f"click:{key}") is not None for key in keys
                     if len(key) <= 128 and " " not in key}
    limits = {"buttons": menus.MAX_BUTTONS, "sub_buttons": menus.MAX_SUB_BUTTONS, "name": menus.NAME_BYTES,
              "sub_name": menus.SUB_NAME_BYTES}
    field_types = {field: " ".join(kind for kind, fields in menus.BUTTON_FIELDS.items() if field in fields)
                   for field in LEAF_FIELDS}
    hints = {key: url_for("admin.wechat_slot_edit", slot=f"click:{key}") if has_reply
             else url_for("admin.wechat_click_new", key=key) for key, has_reply in click_replies.items()}
    editor_data = {"buttons": buttons, "errors": errors, "limits": limits, "replies": click_replies, "hints": hints,
                   "field_types": {field: kinds.split() for field, kinds in field_types.items()},
                   "text": {"menu": _("Menu %(n)s", n="{n}"), "sub": _("Sub-menu %(n)s", n="{n}")},
                   "mp_appid": current_app.config.get("WECHAT_MP_APPID", "")}
    return render_template("admin/wechat/menu.html", menu=menu, buttons=buttons, errors=errors,
                           unpublished=menus.has_unpublished_changes(menu), button_types=BUTTON_TYPES,
                           field_types=field_types, click_replies=click_replies, limits=limits,
                           editor_data=editor_data), status


@bp.get("/wechat/menu")
@area("wechat")
def wechat_menu():
    menu = menus.get_menu()
    db.session.commit()  # the empty menu row, the first time
    return _render(menu.buttons, {})


@bp.post("/wechat/menu")
@area("wechat")
def wechat_menu_save():
    buttons = menu_from_form(request.form)
    menu = menus.get_menu()
    before = menu.buttons
    try:
        menus.save_menu(buttons)
    except DomainError as refusal:
        db.session.rollback()
        return _render(buttons, refusal.fields or {"buttons": refusal.message}, 422)
    _record("save", {"buttons": before}, {"buttons": menu.buttons})
    db.session.commit()
    if request.form.get("action") == "publish":
        return _publish()
    flash(_("Saved. Publish the menu to show it to fans."), "success")
    return redirect(url_for("admin.wechat_menu"))


@bp.post("/wechat/menu/publish")
@area("wechat")
def wechat_menu_publish():
    return _publish()


def _publish():
    menu = menus.get_menu()
    before = _published(menu)
    try:
        menus.publish_menu()
    except DomainError as refusal:
        db.session.rollback()
        flash(_("The menu was not published: %(reason)s", reason=_reason(refusal)), "danger")
        return redirect(url_for("admin.wechat_menu"))
    _record("publish", before, _published(menu))
    db.session.commit()
    flash(_("Published to WeChat. Fans see the new menu the next time they open the chat."), "success")
    return redirect(url_for("admin.wechat_menu"))


@bp.post("/wechat/menu/pull")
@area("wechat")
def wechat_menu_pull():
    menu = menus.get_menu()
    before = menu.buttons
    try:
        menus.pull_menu()
    except DomainError as refusal:
        db.session.rollback()
        flash(_("The menu could not be loaded: %(reason)s", reason=_reason(refusal)), "danger")
        return redirect(url_for("admin.wechat_menu"))
    _record("pull", {"buttons": before}, {"buttons": menu.buttons})
    db.session.commit()
    flash(_("Loaded the menu WeChat has.") if menu.buttons else _("WeChat has no menu for this account."),
          "success")
    return redirect(url_for("admin.wechat_menu"))
