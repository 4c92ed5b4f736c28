"""The official account's permanent materials (永久素材) and published articles (发表记录), as
material/batchget_material and freepublish/batchget answer them: a fixed demo library, so
the console's material picker has something believable to list.

Answers follow WeChat's shapes: a page of `item` with `total_count` and `item_count`; news
materials and published articles carry their `news_item` list; a bad type is 40007 (invalid
media_id / type), a count outside 1–20 or a negative offset 40035 (invalid args).
"""

from __future__ import annotations

from flask import jsonify, request

from app.wechat.sandbox import bp
from app.wechat.sandbox.errors import wx_error
from app.wechat.sandbox.oa_api import _oa_token_or_error, _state

_DAY = 86_400
_BASE = 1_796_000_000  # 2026-11-30, a little before the demo's "today"

_PICTURES = [("店铺横幅-双十二.jpg", 1), ("新品主图-保温杯.jpg", 3), ("客服二维码.png", 6), ("分销海报底图.jpg", 9)]
_VOICES = [("欢迎语音.mp3", 4)]
_VIDEOS = [("开箱视频-秋季礼盒.mp4", 5, "秋季礼盒开箱", "三分钟看完礼盒里有什么")]
_NEWS = [
    ("双十二会员日：全场满199减30", "会员日当天下单，满减与会员折扣同享。", 2),
    ("如何成为分销员：三步开始赚佣金", "申请、分享、结算，一篇讲清楚分销规则。", 7),
    ("秋冬养生茶饮推荐", "五款适合秋冬的茶饮，附冲泡方法。", 12),
]
_PUBLISHED = [
    ("店铺上新：秋季礼盒开售", "限量 500 份，先到先得。", 3),
    ("佣金规则更新说明", "一级佣金 10%，二级佣金 5%，自 12 月起生效。", 8),
    ("会员等级与权益一览", "白银、黄金、钻石会员分别享受什么。", 15),
]


def _id(prefix: str, index: int) -> str:
    return f"sandbox_{prefix}_{index:04d}"


def _article(title: str, digest: str, days_ago: int, index: int, *, content: bool) -> dict:
    article = {"title": title, "author": "店小二", "digest": digest, "thumb_media_id": _id("image", 0),
               "thumb_url": "", "url": f"https://mp.weixin.qq.com/s/sandbox{index:04d}", "content_source_url": "",
               "show_cover_pic": 1, "need_open_comment": 0, "only_fans_can_comment": 0, "is_deleted": False}
    if content:
        article["content"] = f"<p>{digest}</p>"
    return article


def _materials(kind: str) -> list[dict]:
    if kind == "image":
        return [{"media_id": _id("image", i), "name": name, "update_time": _BASE - days * _DAY, "url": ""}
                for i, (name, days) in enumerate(_PICTURES)]
    if kind == "voice":
        return [{"media_id": _id("voice", i), "name": name, "update_time": _BASE - days * _DAY}
                for i, (name, days) in enumerate(_VOICES)]
    if kind == "video":
        return [{"media_id": _id("video", i), "name": name, "update_time": _BASE - days * _DAY,
                 "title": title, "description": description}
                for i, (name, days, title, description) in enumerate(_VIDEOS)]
    return [{"media_id": _id("news", i), "update_time": _BASE - days * _DAY,
             "content": {"news_item": [_article(title, digest, days, i, content=True)],
                         "create_time": _BASE - days * _DAY, "update_time": _BASE - days * _DAY}}
            for i, (title, digest, days) in enumerate(_NEWS)]


def _page_args(body: dict) -> tuple[int, int] | None:
    offset, count = body.get("offset", 0), body.get("count", 20)
    if not isinstance(offset, int) or not isinstance(count, int) or offset < 0 or not 1 <= count <= 20:
        return None
    return offset, count


def _page(items: list[dict], offset: int, count: int):
    shown = items[offset:offset + count]
    return jsonify(total_count=len(items), item_count=len(shown), item=shown)


@bp.post("/api/cgi-bin/material/batchget_material")
def material_batchget():
    _state().count("material/batchget_material")
    _appid, error = _oa_token_or_error()
    if error:
        return error
    body = request.get_json(force=True, silent=True) or {}
    if body.get("type") not in ("image", "voice", "video", "news"):
        return wx_error(40007, "invalid media type")
    page = _page_args(body)
    if page is None:
        return wx_error(40035, "invalid args")
    return _page(_materials(body["type"]), *page)


@bp.post("/api/cgi-bin/freepublish/batchget")
def freepublish_batchget():
    _state().count("freepublish/batchget")
    _appid, error = _oa_token_or_error()
    if error:
        return error
    body = request.get_json(force=True, silent=True) or {}
    page = _page_args(body)
    if page is None:
        return wx_error(40035, "invalid args")
    with_content = not body.get("no_content")
    items = [{"article_id": _id("article", i), "update_time": _BASE - days * _DAY,
              "content": {"news_item": [_article(title, digest, days, i, content=with_content)],
                          "create_time": _BASE - days * _DAY, "update_time": _BASE - days * _DAY}}
             for i, (title, digest, days) in enumerate(_PUBLISHED)]
    return _page(items, *page)
