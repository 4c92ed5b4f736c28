"""Auto replies in the console: what the merchant saves is what the webhook answers next."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from app.officialaccount import replies, snapshot
from app.officialaccount.models import KeywordRule
from tests import oa_push
from tests.admin_helpers import log_in, make_staff
from tests.wechat_console import article, field_errors, post_form, rule_form


@pytest.fixture
def console(app, client):
    make_staff("boss", role="owner")
    log_in(client, "boss")
    return client


def ask(app, client, text: str) -> dict | None:
    response = oa_push.post(client, app.config, oa_push.text("o_fan_console", text))
    assert response.status_code == 200
    return oa_push.reply_of(app.config, response)


def the_rule() -> KeywordRule:
    return db.session.scalars(select(KeywordRule)).one()


def audit_rows(action_prefix: str) -> list[AuditEntry]:
    return list(db.session.scalars(select(AuditEntry).where(AuditEntry.action.startswith(action_prefix))
                                   .order_by(AuditEntry.id)))


def test_a_rule_created_in_the_console_answers_its_keyword(app, console):
    response = post_form(console, "/admin/wechat/replies/keywords/new", rule_form())

    assert response.status_code == 302
    assert ask(app, console, "优惠")["Content"] == "本周满100减20"
    entry = audit_rows("reply_rule.create")[0]
    assert entry.area == "wechat" and entry.before is None
    assert entry.after["keywords"] == [{"text": "优惠", "match": "exact"}]


def test_a_reply_edited_in_the_console_is_what_the_webhook_answers_next(app, console):
    post_form(console, "/admin/wechat/replies/keywords/new", rule_form())
    assert ask(app, console, "优惠")["Content"] == "本周满100减20"  # the webhook has cached the replies
    version = app.extensions["redis"].get(snapshot.VERSION_KEY)
    rule_id = the_rule().id

    response = post_form(console, f"/admin/wechat/replies/keywords/{rule_id}",
                         rule_form(keywords=[("优惠", "exact"), ("折扣", "contains")],
                                   content={"content": "满200减50"}))

    assert response.status_code == 302
    assert app.extensions["redis"].get(snapshot.VERSION_KEY) != version  # other processes rebuild too
    assert ask(app, console, "优惠")["Content"] == "满200减50"
    assert ask(app, console, "有折扣吗")["Content"] == "满200减50"
    entry = audit_rows("reply_rule.update")[0]
    assert entry.before == {"keywords": [{"text": "优惠", "match": "exact"}], "content": {"content": "本周满100减20"}}
    assert entry.after["content"] == {"content": "满200减50"}


def test_a_rule_deleted_in_the_console_stops_answering(app, console):
    replies.set_special_reply("default", "text", {"content": "默认回复"})
    db.session.commit()
    post_form(console, "/admin/wechat/replies/keywords/new", rule_form())
    assert ask(app, console, "优惠")["Content"] == "本周满100减20"

    response = post_form(console, f"/admin/wechat/replies/keywords/{the_rule().id}/delete", {})

    assert response.status_code == 302
    assert db.session.scalars(select(KeywordRule)).all() == []
    assert ask(app, console, "优惠")["Content"] == "默认回复"
    entry = audit_rows("reply_rule.delete")[0]
    assert entry.before["name"] == "优惠活动" and entry.after is None


def test_a_disabled_rule_stops_answering_and_enabling_brings_it_back(app, console):
    post_form(console, "/admin/wechat/replies/keywords/new", rule_form())
    rule_id = the_rule().id

    post_form(console, f"/admin/wechat/replies/keywords/{rule_id}/toggle", {})
    assert ask(app, console, "优惠") is None
    post_form(console, f"/admin/wechat/replies/keywords/{rule_id}/toggle", {})
    assert ask(app, console, "优惠")["Content"] == "本周满100减20"

    assert [(e.before, e.after) for e in audit_rows("reply_rule.update")] == [
        ({"is_enabled": True}, {"is_enabled": False}), ({"is_enabled": False}, {"is_enabled": True})]


def test_delete_needs_the_csrf_token(app, console):
    post_form(console, "/admin/wechat/replies/keywords/new", rule_form())
    response = console.post(f"/admin/wechat/replies/keywords/{the_rule().id}/delete")
    assert response.status_code == 400
    assert db.session.scalars(select(KeywordRule)).one()


def test_a_news_reply_with_several_keywords_and_matches(app, console):
    news = {"articles": [article(1), article(2)]}
    post_form(console, "/admin/wechat/replies/keywords/new",
              rule_form(name="新品", keywords=[("新品", "exact"), ("上新", "contains"), (r"^new\d+$", "regex")],
                        kind="news", content=news, priority=7))

    rule = the_rule()
    assert rule.priority == 7 and [k["match"] for k in rule.keywords] == ["exact", "contains", "regex"]
    for text in ("新品", "本周上新了吗", "new42"):
        reply = ask(app, console, text)
        assert reply["MsgType"] == "news" and reply["ArticleCount"] == "2"


@pytest.mark.parametrize(("form", "path", "message"), [
    (rule_form(keywords=[("优惠", "exact"), ("([未闭合", "regex")]), "keywords.1", "正则表达式"),
    (rule_form(kind="news", content={"articles": [article(n) for n in range(1, 10)]}), "content.articles", "8"),
    (rule_form(kind="news", content={"articles": [article(1), article(2), article(3),
                                                  article(4, url="ftp://shop.example/a")]}),
     "content.articles.3.url", "http"),
    (rule_form(kind="music", content={"title": "歌", "music_url": "shop.example/a.mp3", "thumb_media_id": "T1"}),
     "content.music_url", "http"),
    (rule_form(kind="custom", content={"url": "https://merchant.example/wx",
                                       "fallback": {"kind": "text", "content": {"content": ""}}}),
     "content.fallback.content.content", ""),
    (rule_form(name=""), "name", ""),
    (rule_form(keywords=[]), "keywords", "1"),
    (rule_form(kind="image", content={"media_id": "有空格 的id"}), "content.media_id", "media_id"),
])
def test_invalid_fields_are_shown_next_to_the_field(app, console, form, path, message):
    response = post_form(console, "/admin/wechat/replies/keywords/new", form)

    assert response.status_code == 422
    errors = field_errors(response.get_data(as_text=True))
    assert path in errors, errors
    assert message in errors[path]
    assert db.session.scalars(select(KeywordRule)).all() == []
    assert audit_rows("reply_rule") == []


def test_the_form_keeps_what_was_typed_after_an_error(app, console):
    form = rule_form(kind="news", content={"articles": [article(1), article(2, url="not a url")]})
    html = post_form(console, "/admin/wechat/replies/keywords/new", form).get_data(as_text=True)
    assert 'name="content.articles.1.url"' in html and 'value="not a url"' in html
    assert 'value="第2篇"' in html


def test_an_edit_with_an_error_changes_nothing(app, console):
    post_form(console, "/admin/wechat/replies/keywords/new", rule_form())
    rule_id = the_rule().id

    response = post_form(console, f"/admin/wechat/replies/keywords/{rule_id}",
                         rule_form(kind="news", content={"articles": [article(1, url="javascript:alert(1)")]}))

    assert response.status_code == 422
    db.session.expire_all()
    assert the_rule().kind == "text"
    assert ask(app, console, "优惠")["Content"] == "本周满100减20"


def _make_rules():
    replies.create_keyword_rule(name="菜单", keywords=[{"text": "菜单", "match": "exact"}], priority=10,
                                kind="text", content={"content": "功能列表"})
    replies.create_keyword_rule(name="分销员计划", keywords=[{"text": "分销", "match": "contains"}], priority=5,
                                kind="text", content={"content": "分销说明"})
    replies.create_keyword_rule(name="订单查询", keywords=[{"text": r"^订单\d+$", "match": "regex"}], priority=0,
                                kind="text", content={"content": "订单说明"}, is_enabled=False)
    db.session.commit()


def _names(html: str) -> list[str]:
    import re
    return re.findall(r'<td class="fw-semibold rule-name">([^<]+)</td>', html)


@pytest.mark.parametrize(("query", "expected"), [
    ("", ["菜单", "分销员计划", "订单查询"]),
    ("?q=分销", ["分销员计划"]),
    ("?q=菜", ["菜单"]),
    ("?match=regex", ["订单查询"]),
    ("?enabled=1", ["菜单", "分销员计划"]),
    ("?enabled=0", ["订单查询"]),
    ("?sort=newest", ["订单查询", "分销员计划", "菜单"]),
    ("?size=1&page=2", ["分销员计划"]),
])
def test_the_rule_list_searches_filters_and_sorts(app, console, query, expected):
    _make_rules()
    html = console.get(f"/admin/wechat/replies/keywords{query}").get_data(as_text=True)
    assert _names(html) == expected


def test_the_rule_list_shows_a_preview_of_each_reply(app, console):
    _make_rules()
    html = console.get("/admin/wechat/replies/keywords").get_data(as_text=True)
    assert '<div class="wx-bubble">功能列表</div>' in html


def test_the_editor_shows_a_preview_of_the_reply(app, console):
    post_form(console, "/admin/wechat/replies/keywords/new",
              rule_form(kind="news", content={"articles": [article(1), article(2)]}))
    html = console.get(f"/admin/wechat/replies/keywords/{the_rule().id}").get_data(as_text=True)
    assert "data-reply-preview" in html
    assert '<div class="wx-news-overlay">第1篇</div>' in html and "<span>第2篇</span>" in html
