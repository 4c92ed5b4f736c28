"""Official account: the follow reply, the default reply, replies per message type and per menu
key, and the custom interface (the merchant's own server). Every change is audited."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.admin import bp
from app.admin.security import actor, area
from app.admin.wechat_forms import REPLY_KINDS, reply_from_form, special_snapshot
from app.audit import services as audit
from app.core.errors import DomainError
from app.extensions import db
from app.officialaccount import menus, replies

MESSAGE_LABELS = {"image": _l("Image message"), "voice": _l("Voice message"), "video": _l("Video message"),
                  "shortvideo": _l("Short video message"), "location": _l("Location message"),
                  "link": _l("Link message")}
EMPTY = {"kind": "text", "content": {}, "is_enabled": True}


def slot_label(slot: str) -> str:
    if slot == "subscribe":
        return _("Reply on follow")
    if slot == "default":
        return _("Default reply")
    kind, _sep, value = slot.partition(":")
    if kind == "message":
        return str(MESSAGE_LABELS.get(value, value))
    return _("Menu click %(key)s", key=value)


def _checked(slot: str) -> str:
    try:
        return replies.check_slot(slot)
    except DomainError:
        abort(404)


def _record(action: str, slot: str, before: dict | None, after: dict | None) -> None:
    if before is not None and after is not None:
        before, after = audit.changed_fields(before, after)
    audit.record(actor(), area="wechat", action=f"special_reply.{action}", target_type="oa_special_reply",
                 target_id=slot, summary=slot_label(slot), before=before, after=after)


def _back(slot: str) -> str:
    if slot in ("subscribe", "default"):
        return url_for("admin.wechat_slot_edit", slot=slot)
    return url_for("admin.wechat_special")


@bp.get("/wechat/replies/special")
@area("wechat")
def wechat_special():
    stored = {reply.slot: reply for reply in replies.list_special_replies()}
    message_slots = [(f"message:{kind}", label, stored.get(f"message:{kind}"))
                     for kind, label in MESSAGE_LABELS.items()]
    click_slots = [(slot, slot.partition(":")[2], reply) for slot, reply in stored.items() if slot.startswith("click:")]
    menu_keys = menus.click_keys(menus.get_menu().buttons)
    missing = [key for key in menu_keys if f"click:{key}" not in stored]
    return render_template("admin/wechat/special.html", message_slots=message_slots, click_slots=click_slots,
                           menu_keys=menu_keys, missing_keys=missing, kinds=REPLY_KINDS)


@bp.route("/wechat/replies/slot/<path:slot>", methods=["GET", "POST"])
@area("wechat")
def wechat_slot_edit(slot: str):
    slot = _checked(slot)
    reply = replies.get_special_reply(slot)
    values = special_snapshot(reply) or EMPTY
    if request.args.get("kind") in REPLY_KINDS and request.args["kind"] != values["kind"]:
        values = {**values, "kind": request.args["kind"]}  # e.g. "forward to my server" from the custom page
    errors: dict[str, str] = {}
    if request.method == "POST":
        errors, values = _save(slot, reply)
        if not errors:
            return redirect(_back(slot))
    return render_template("admin/wechat/slot_form.html", slot=slot, label=slot_label(slot), reply=reply,
                           tab=slot if slot in ("subscribe", "default") else "special", values=values, errors=errors,
                           kinds=REPLY_KINDS), 422 if errors else 200


@bp.route("/wechat/replies/click/new", methods=["GET", "POST"])
@area("wechat")
def wechat_click_new():
    key = (request.values.get("key") or "").strip()
    values, errors = {**EMPTY, "key": key}, {}
    if request.method == "POST":
        slot = f"click:{key}"
        try:
            replies.check_slot(slot)
        except DomainError:
            errors = {"key": _("Enter the key of a CLICK button: up to 128 characters, no spaces.")}
        else:
            if replies.get_special_reply(slot) is not None:
                errors = {"key": _("This key already has a reply: edit that one instead.")}
        if not errors:
            errors, values = _save(slot, None)
            if not errors:
                return redirect(url_for("admin.wechat_special"))
        values = {**values, "key": key}
    return render_template("admin/wechat/slot_form.html", slot=None, label=_("New menu click reply"), reply=None,
                           tab="special", values=values, errors=errors, kinds=REPLY_KINDS), 422 if errors else 200


def _save(slot: str, reply) -> tuple[dict[str, str], dict]:
    """Store the posted reply for `slot`: (field errors, the values to show again)."""
    kind, content, raw = reply_from_form(request.form)
    is_enabled = bool(request.form.get("is_enabled"))
    values = {"kind": kind, "content": raw, "is_enabled": is_enabled}
    before = special_snapshot(reply)
    try:
        saved = replies.set_special_reply(slot, kind, content, is_enabled=is_enabled)
        _record("save", slot, before, special_snapshot(saved))
    except DomainError as refusal:
        db.session.rollback()
        return refusal.fields or {"__all__": refusal.message}, values
    db.session.commit()
    flash(_("Saved. Fans get the new reply from now on."), "success")
    return {}, values


@bp.post("/wechat/replies/slot/<path:slot>/toggle")
@area("wechat")
def wechat_slot_toggle(slot: str):
    reply = replies.get_special_reply(_checked(slot)) or abort(404)
    before = special_snapshot(reply)
    replies.set_special_reply(slot, reply.kind, reply.content, is_enabled=not reply.is_enabled)
    _record("save", slot, before, special_snapshot(reply))
    db.session.commit()
    flash(_("Enabled %(name)s.", name=slot_label(slot)) if reply.is_enabled
          else _("Disabled %(name)s.", name=slot_label(slot)), "success")
    return redirect(_back(slot))


@bp.post("/wechat/replies/slot/<path:slot>/delete")
@area("wechat")
def wechat_slot_delete(slot: str):
    reply = replies.get_special_reply(_checked(slot)) or abort(404)
    before = special_snapshot(reply)
    replies.delete_special_reply(slot)
    _record("delete", slot, before, None)
    db.session.commit()
    flash(_("Deleted %(name)s.", name=slot_label(slot)), "success")
    return redirect(_back(slot))


@bp.get("/wechat/replies/custom")
@area("wechat")
def wechat_custom():
    """Which replies forward to the merchant's server, and how the forwarding works."""
    forwarding = [(slot_label(reply.slot), url_for("admin.wechat_slot_edit", slot=reply.slot), reply.content,
                   reply.is_enabled) for reply in replies.list_special_replies() if reply.kind == "custom"]
    forwarding += [(_("Keyword rule %(name)s", name=rule.name), url_for("admin.wechat_rule_edit", rule_id=rule.id),
                    rule.content, rule.is_enabled)
                   for rule in replies.list_keyword_rules() if rule.kind == "custom"]
    default = replies.get_special_reply("default")
    return render_template("admin/wechat/custom.html", forwarding=forwarding, default=default, kinds=REPLY_KINDS)
