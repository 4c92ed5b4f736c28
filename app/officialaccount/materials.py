"""The official account's permanent materials (永久素材) and published articles (发表记录), read
from WeChat a page at a time, so that the menu editor and the replies pick a media_id or an
article_id instead of asking the merchant to copy one from the Official Accounts Platform.

WeChat keeps these lists; nothing is stored here. Materials are listed per type by WeChat
(material/batchget_material), so the picker's one list walks the types in turn: a cursor is
"type:offset", and the page after a type's last one starts the next type at 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l

from app.core.china_time import format_beijing
from app.core.labels import labels
from app.wechat.clients import oa_client
from app.wechat.errors import wechat_call

PAGE_SIZE = 20  # WeChat's largest page for both lists


class MaterialType(StrEnum):
    """WeChat's permanent material types, in the order the picker lists them."""

    NEWS = "news"
    IMAGE = "image"
    VIDEO = "video"
    VOICE = "voice"


MATERIAL_TYPE_LABELS = labels(MaterialType, {
    MaterialType.NEWS: _l("Article material"), MaterialType.IMAGE: _l("Image"),
    MaterialType.VIDEO: _l("Video"), MaterialType.VOICE: _l("Voice"),
})
MATERIAL_TYPES = tuple(MaterialType)


@dataclass(frozen=True)
class MaterialPage:
    items: list[dict]  # {id, title, subtitle, image} as the console's pickers show them
    next_cursor: str | None


def _updated(stamp: int | None) -> str:
    return format_beijing(datetime.fromtimestamp(stamp, UTC), "%Y-%m-%d %H:%M") if stamp else ""


def _first_article(entry: dict) -> dict:
    articles = (entry.get("content") or {}).get("news_item") or [{}]
    return articles[0]


def material_page(cursor: str | None, only: str | None = None) -> MaterialPage:
    """A page of permanent materials, all types in turn (see the module's docstring), or of
    the `only` type (an image reply takes an image)."""
    types = (MaterialType(only),) if only in MATERIAL_TYPES else MATERIAL_TYPES
    kind, _sep, offset_text = (cursor or f"{types[0]}:0").partition(":")
    if kind not in types or not offset_text.isdigit():
        kind, offset_text = types[0], "0"
    offset = int(offset_text)
    with wechat_call("material/batchget_material"):
        answer = oa_client().material.batchget(kind, offset, PAGE_SIZE)
    entries = answer.get("item") or []
    label = MATERIAL_TYPE_LABELS[MaterialType(kind)]
    items = [{"id": entry["media_id"], "title": (_first_article(entry).get("title") if kind == MaterialType.NEWS
                                               else entry.get("name")) or entry["media_id"],
              "subtitle": " · ".join(part for part in (str(label), _updated(entry.get("update_time"))) if part),
              "image": ""} for entry in entries]
    after = offset + len(entries)
    if entries and after < int(answer.get("total_count") or 0):
        following = f"{kind}:{after}"
    else:
        later = types.index(kind) + 1
        following = f"{types[later]}:0" if later < len(types) else None
    return MaterialPage(items, following)


def published_article_page(cursor: str | None) -> MaterialPage:
    """A page of published articles (freepublish/batchget), newest first as WeChat lists them."""
    offset = int(cursor) if cursor and cursor.isdigit() else 0
    with wechat_call("freepublish/batchget"):
        answer = oa_client().post("freepublish/batchget",
                                  data={"offset": offset, "count": PAGE_SIZE, "no_content": 1})
    entries = answer.get("item") or []
    items = [{"id": entry["article_id"], "title": _first_article(entry).get("title") or entry["article_id"],
              "subtitle": " · ".join(part for part in (_first_article(entry).get("digest", ""),
                                                       _updated(entry.get("update_time"))) if part),
              "image": ""} for entry in entries]
    after = offset + len(entries)
    return MaterialPage(items, str(after) if entries and after < int(answer.get("total_count") or 0) else None)
