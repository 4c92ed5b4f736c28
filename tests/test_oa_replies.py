"""Fans get the reply the merchant configured: keyword rules, per-type replies, menu keys, the default."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from app.extensions import db
from app.officialaccount import replies, snapshot
from app.officialaccount.models import SpecialReply
from tests import oa_push


def _text_rule(name, keywords, reply, **extra):
    return replies.create_keyword_rule(name=name, keywords=keywords, kind="text", content={"content": reply}, **extra)


def _ask(app, client, xml, mode="safe"):
    response = oa_push.post(client, app.config, xml, mode)
    assert response.status_code == 200
    return oa_push.reply_of(app.config, response, mode)


@pytest.fixture
def shop_replies(app):
    replies.set_special_reply("default", "text", {"content": "默认回复"})
    _text_rule("exact", [{"text": "菜单", "match": "exact"}, {"text": "Help", "match": "exact"}], "这是菜单")
    _text_rule("contains", [{"text": "分销", "match": "contains"}], "分销说明")
    _text_rule("regex", [{"text": r"^订单\s*(\d{4,})$", "match": "regex"}], "订单查询")
    db.session.commit()


@pytest.mark.parametrize("mode", ["plain", "compatible", "safe"])
@pytest.mark.parametrize(("content", "expected"), [
    ("菜单", "这是菜单"), ("  help ", "这是菜单"), ("菜单呢", "默认回复"), ("我想做分销员", "分销说明"),
    ("订单 20260001", "订单查询"), ("订单 12", "默认回复"), ("随便说说", "默认回复")])
def test_text_gets_the_matching_keyword_reply_or_the_default(app, client, shop_replies, mode, content, expected):
    oa_push.set_mode(mode)
    reply = _ask(app, client, oa_push.text("o_fan", content), mode)
    assert (reply["MsgType"], reply["Content"], reply["ToUserName"]) == ("text", expected, "o_fan")


def test_the_rule_with_the_highest_priority_wins(app, client):
    _text_rule("low", [{"text": "优惠", "match": "contains"}], "低优先级", priority=1)
    _text_rule("high", [{"text": "优惠券", "match": "contains"}], "高优先级", priority=9)
    db.session.commit()
    assert _ask(app, client, oa_push.text("o_fan", "有优惠券吗"))["Content"] == "高优先级"


def test_a_disabled_rule_never_answers(app, client, shop_replies):
    rule = _text_rule("off", [{"text": "秘密", "match": "exact"}], "不该出现", is_enabled=False)
    db.session.commit()
    assert _ask(app, client, oa_push.text("o_fan", "秘密"))["Content"] == "默认回复"
    replies.update_keyword_rule(rule.id, is_enabled=True)
    db.session.commit()
    assert _ask(app, client, oa_push.text("o_fan", "秘密"))["Content"] == "不该出现"  # the change is seen at once


def test_without_any_configured_reply_the_answer_is_success(app, client):
    response = oa_push.post(client, app.config, oa_push.text("o_fan", "你好"))
    assert response.status_code == 200 and response.get_data() == b"success"


@pytest.mark.parametrize(("msg_type", "fields"), [
    ("image", {"PicUrl": "http://mmbiz.qpic.cn/x.jpg", "MediaId": "m1"}),
    ("voice", {"MediaId": "m2", "Format": "amr"}),
    ("video", {"MediaId": "m3", "ThumbMediaId": "t3"}),
    ("location", {"Location_X": "23.1", "Location_Y": "113.3", "Scale": 15, "Label": "广州"}),
    ("link", {"Title": "t", "Description": "d", "Url": "https://example.com/"}),
])
def test_each_message_type_gets_its_own_reply_else_the_default(app, client, msg_type, fields):
    replies.set_special_reply("default", "text", {"content": "默认回复"})
    db.session.commit()
    assert _ask(app, client, oa_push.message("o_fan", msg_type, **fields))["Content"] == "默认回复"
    replies.set_special_reply(f"message:{msg_type}", "text", {"content": f"收到{msg_type}"})
    db.session.commit()
    assert _ask(app, client, oa_push.message("o_fan", msg_type, **fields))["Content"] == f"收到{msg_type}"


def test_an_unknown_message_type_gets_the_default_reply(app, client):
    replies.set_special_reply("default", "text", {"content": "默认回复"})
    db.session.commit()
    assert _ask(app, client, oa_push.message("o_fan", "hologram", Payload="?"))["Content"] == "默认回复"


def test_an_unknown_event_gets_success(app, client):
    replies.set_special_reply("default", "text", {"content": "默认回复"})
    db.session.commit()
    response = oa_push.post(client, app.config, oa_push.event("o_fan", "teleport", "x"))
    assert response.status_code == 200 and response.get_data() == b"success"


def test_a_menu_click_gets_the_reply_for_its_key(app, client):
    replies.set_special_reply("click:TODAY_DEAL", "text", {"content": "今日特价"})
    db.session.commit()
    assert _ask(app, client, oa_push.event("o_fan", "CLICK", "TODAY_DEAL"))["Content"] == "今日特价"
    response = oa_push.post(client, app.config, oa_push.event("o_fan", "CLICK", "UNKNOWN_KEY"))
    assert response.get_data() == b"success"


def test_news_image_and_music_replies_render_as_wechat_expects(app, client):
    articles = [{"title": f"第{i}篇", "description": "简介", "picurl": "https://img.example.com/a.png",
                 "url": f"https://shop.example.com/p/{i}"} for i in range(8)]
    _text = {"kind": "news", "content": {"articles": articles}}
    replies.create_keyword_rule(name="news", keywords=[{"text": "新品"}], **_text)
    replies.create_keyword_rule(name="image", keywords=[{"text": "海报"}], kind="image",
                                content={"media_id": "MEDIA_poster_1"})
    replies.create_keyword_rule(name="music", keywords=[{"text": "音乐"}], kind="music",
                                content={"title": "店歌", "music_url": "https://m.example.com/a.mp3",
                                         "thumb_media_id": "thumb_1"})
    db.session.commit()

    news = _ask(app, client, oa_push.text("o_fan", "新品"))
    assert news["MsgType"] == "news" and news["ArticleCount"] == "8"
    assert [item["Url"] for item in news["Articles"]["item"]] == [a["url"] for a in articles]
    image = _ask(app, client, oa_push.text("o_fan", "海报"))
    assert image["MsgType"] == "image" and image["Image"]["MediaId"] == "MEDIA_poster_1"
    music = _ask(app, client, oa_push.text("o_fan", "音乐"))
    assert music["MsgType"] == "music" and music["Music"]["HQMusicUrl"] == "https://m.example.com/a.mp3"


def test_a_change_made_by_another_process_is_picked_up_when_the_shared_version_moves(app, client, monkeypatch):
    monkeypatch.setattr(snapshot, "CHECK_INTERVAL", 0.0)
    replies.set_special_reply("default", "text", {"content": "旧回复"})
    db.session.commit()
    assert _ask(app, client, oa_push.text("o_fan", "在吗"))["Content"] == "旧回复"

    # another process edits the row and bumps the version; this process's snapshot is stale
    db.session.execute(update(SpecialReply).values(content={"content": "新回复"}))
    db.session.commit()
    assert _ask(app, client, oa_push.text("o_fan", "在吗"))["Content"] == "旧回复"
    app.extensions["redis"].incr(snapshot.VERSION_KEY)

    assert _ask(app, client, oa_push.text("o_fan", "在吗"))["Content"] == "新回复"
