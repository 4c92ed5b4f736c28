"""A reply WeChat could not render is refused before it is stored, with a message per field."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.core.errors import NotFound, ValidationError
from app.extensions import db
from app.officialaccount import replies
from app.officialaccount.models import KeywordRule, SpecialReply

ARTICLE = {"title": "标题", "url": "https://shop.example.com/"}


def _refusal(call, *args, **kwargs) -> dict[str, str]:
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    return caught.value.fields


def _rule(**overrides):
    fields = {"name": "r", "keywords": [{"text": "hi", "match": "exact"}], "kind": "text",
              "content": {"content": "hello"}}
    return {**fields, **overrides}


def test_news_with_more_than_eight_articles_is_refused(app):
    fields = _refusal(replies.set_special_reply, "subscribe", "news", {"articles": [ARTICLE] * 9})
    assert fields == {"content.articles": "最多 8 项。"}


def test_news_without_articles_is_refused(app):
    assert _refusal(replies.set_special_reply, "subscribe", "news", {"articles": []}) == \
        {"content.articles": "至少 1 项。"}


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.com/a", "shop.example.com", "https://"])
def test_article_links_must_be_http_or_https(app, url):
    fields = _refusal(replies.set_special_reply, "default", "news", {"articles": [{**ARTICLE, "url": url}]})
    assert fields == {"content.articles.0.url": "必须是 http:// 或 https:// 开头的地址。"}


def test_an_invalid_regex_keyword_is_refused_with_its_position(app):
    fields = _refusal(replies.create_keyword_rule, **_rule(keywords=[{"text": "ok"}, {"text": "([a-z", "match":
                                                                                       "regex"}]))
    assert fields == {"keywords.1": "不是有效的正则表达式。"}


def test_text_that_would_break_the_xml_is_refused(app):
    assert _refusal(replies.set_special_reply, "default", "text", {"content": "a]]>b"}) == \
        {"content.content": "不能包含 ]]>。"}


def test_several_bad_fields_are_reported_together(app):
    fields = _refusal(replies.set_special_reply, "default", "music",
                      {"music_url": "nope", "thumb_media_id": "bad id!", "extra": 1})
    assert set(fields) == {"content.music_url", "content.thumb_media_id", "content.extra"}


def test_an_unknown_kind_or_slot_is_refused(app):
    assert "kind" in _refusal(replies.set_special_reply, "default", "video", {})
    assert "slot" in _refusal(replies.set_special_reply, "birthday", "text", {"content": "x"})
    assert "slot" in _refusal(replies.set_special_reply, "message:sticker", "text", {"content": "x"})


def test_a_custom_interface_needs_an_http_url_and_a_valid_fallback(app):
    fields = _refusal(replies.set_special_reply, "default", "custom",
                      {"url": "file:///etc/passwd", "fallback": {"kind": "text", "content": {"content": ""}}})
    assert set(fields) == {"content.url", "content.fallback.content.content"}


def test_a_rule_needs_a_name_and_one_to_twenty_keywords(app):
    assert set(_refusal(replies.create_keyword_rule, **_rule(name="", keywords=[]))) == {"name", "keywords"}
    assert _refusal(replies.create_keyword_rule, **_rule(keywords=[{"text": "k"}] * 21)) == {"keywords": "最多 20 项。"}


def test_messages_are_in_english_when_asked(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        fields = _refusal(replies.set_special_reply, "default", "news", {"articles": [ARTICLE] * 9})
    assert fields == {"content.articles": "At most 8 items."}


def test_nothing_is_stored_by_a_refusal(app):
    _refusal(replies.create_keyword_rule, **_rule(content={"content": ""}))
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(KeywordRule)) == 0


def test_a_valid_reply_is_stored_normalised_and_can_be_replaced_and_deleted(app):
    replies.set_special_reply("default", "music", {"title": " 店歌 ", "music_url": "https://m.example.com/a.mp3",
                                                   "thumb_media_id": "t1"})
    db.session.commit()
    stored = replies.get_special_reply("default")
    assert stored.content["title"] == "店歌" and stored.content["hq_music_url"] == "https://m.example.com/a.mp3"
    replies.set_special_reply("default", "text", {"content": "新的"})
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(SpecialReply)) == 1
    replies.delete_special_reply("default")
    db.session.commit()
    assert replies.list_special_replies() == []
    with pytest.raises(NotFound):
        replies.delete_special_reply("default")
