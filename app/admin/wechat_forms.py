"""The official-account pages' forms: replies, keyword rules and the menu read from posted
fields named by their paths, and the before/after snapshots the audit log keeps."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from app.admin.nested_form import nested_fields
from app.officialaccount.menus import BUTTON_FIELDS
from app.officialaccount.models import KeywordRule, SpecialReply

REPLY_KINDS = {"text": _l("Text"), "news": _l("News"), "image": _l("Image"), "music": _l("Music"),
               "custom": _l("Custom interface")}
FALLBACK_KINDS = ("text", "news", "image", "music")
MATCH_TYPES = {"exact": _l("Exact match"), "contains": _l("Contains"), "regex": _l("Regular expression")}
CONTENT_FIELDS = {
    "text": ("content",), "news": ("articles",), "image": ("media_id",),
    "music": ("title", "description", "music_url", "hq_music_url", "thumb_media_id"),
}
ARTICLE_FIELDS = ("title", "description", "picurl", "url")
BUTTON_TYPES = {
    "click": _l("Click: send a reply"), "view": _l("Open a web page"), "miniprogram": _l("Open the mini-program"),
    "scancode_push": _l("Scan a code"), "scancode_waitmsg": _l("Scan a code and wait for a reply"),
    "pic_sysphoto": _l("Take a photo"), "pic_photo_or_album": _l("Photo or album"),
    "pic_weixin": _l("Pick from WeChat album"), "location_select": _l("Send a location"),
    "media_id": _l("Send a permanent material"), "view_limited": _l("Open a material article"),
    "article_id": _l("Send a published article"), "article_view_limited": _l("Open a published article"),
}


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def pick_content(kind: str, raw: Any) -> dict:
    """From every editor's posted fields, the ones the chosen kind takes."""
    raw = raw if isinstance(raw, dict) else {}
    if kind == "custom":
        fallback = raw.get("fallback") if isinstance(raw.get("fallback"), dict) else {}
        fallback_kind = _text(fallback.get("kind"))
        return {"url": _text(raw.get("url")).strip(),
                "fallback": {"kind": fallback_kind, "content": pick_content(fallback_kind, fallback.get("content"))}
                if fallback_kind else None}
    content: dict[str, Any] = {}
    for name in CONTENT_FIELDS.get(kind, ()):
        if name == "articles":
            rows = raw.get("articles") if isinstance(raw.get("articles"), list) else []
            content["articles"] = [{field: _text(row.get(field)) for field in ARTICLE_FIELDS}
                                   for row in rows if isinstance(row, dict)]
        else:
            content[name] = _text(raw.get(name))
    return content


def reply_from_form(form: MultiDict) -> tuple[str, dict, dict]:
    """(kind, the content to validate, every editor's fields as posted, to show again)."""
    kind = form.get("kind", "")
    raw = nested_fields(form, "content")
    return kind, pick_content(kind, raw), raw if isinstance(raw, dict) else {}


def keywords_from_form(form: MultiDict) -> list[dict]:
    """The keyword rows, without the ones left empty."""
    rows = nested_fields(form, "keywords")
    rows = rows if isinstance(rows, list) else []
    return [{"text": _text(row.get("text")), "match": _text(row.get("match")) or "exact"}
            for row in rows if isinstance(row, dict) and _text(row.get("text")).strip()]


def rule_from_form(form: MultiDict) -> tuple[dict, dict]:
    """(the rule's fields for the service, the editor's fields as posted)."""
    kind, content, raw = reply_from_form(form)
    priority = form.get("priority", "").strip() or "0"
    data = {"name": form.get("name", "").strip(), "keywords": keywords_from_form(form), "priority": priority,
            "kind": kind, "content": content, "is_enabled": bool(form.get("is_enabled"))}
    return data, {**data, "content": raw}


def rule_snapshot(rule: KeywordRule) -> dict:
    return {"name": rule.name, "keywords": rule.keywords, "priority": rule.priority, "kind": rule.kind,
            "content": rule.content, "is_enabled": rule.is_enabled}


def special_snapshot(reply: SpecialReply | None) -> dict | None:
    if reply is None:
        return None
    return {"kind": reply.kind, "content": reply.content, "is_enabled": reply.is_enabled}


def _button_from_form(raw: Any, *, top: bool) -> Any:
    if not isinstance(raw, dict):
        return raw
    subs = raw.get("sub_button") if top and isinstance(raw.get("sub_button"), list) else []
    if subs:  # a button with sub-buttons only has a name
        return {"name": _text(raw.get("name")), "sub_button": [_button_from_form(sub, top=False) for sub in subs]}
    kind = _text(raw.get("type"))
    button = {"name": _text(raw.get("name")), "type": kind}
    for field in BUTTON_FIELDS.get(kind, ()):
        button[field] = _text(raw.get(field)).strip()
    return button


def menu_from_form(form: MultiDict) -> list:
    """The menu tree from the editor's fields (`buttons.0.sub_button.2.key`)."""
    raw = nested_fields(form, "buttons")
    return [_button_from_form(button, top=True) for button in raw] if isinstance(raw, list) else []
