"""Follow, default, per-message-type and menu-click replies, and the custom interface, in the console."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from app.officialaccount import menus, replies
from app.officialaccount.models import SpecialReply
from tests import oa_push
from tests.admin_helpers import log_in, make_staff
from tests.wechat_console import field_errors, post_form, reply_form


@pytest.fixture
def console(app, client):
    make_staff("boss", role="owner")
    log_in(client, "boss")
    return client


def answer(app, client, xml: str) -> dict | None:
    response = oa_push.post(client, app.config, xml)
    assert response.status_code == 200
    return oa_push.reply_of(app.config, response)


def test_the_follow_reply_set_in_the_console_greets_new_fans(app, console):
    response = post_form(console, "/admin/wechat/replies/slot/subscribe", reply_form(content={"content": "欢迎关注！"}))

    assert response.status_code == 302
    assert answer(app, console, oa_push.event("o_new_fan", "subscribe", ""))["Content"] == "欢迎关注！"
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "special_reply.save")).one()
    assert (entry.target_id, entry.before) == ("subscribe", None)
    assert entry.after == {"kind": "text", "content": {"content": "欢迎关注！"}, "is_enabled": True}


def test_the_default_reply_answers_what_nothing_else_does(app, console):
    post_form(console, "/admin/wechat/replies/slot/default", reply_form(content={"content": "客服稍后回复"}))
    assert answer(app, console, oa_push.text("o_fan", "随便说说"))["Content"] == "客服稍后回复"

    post_form(console, "/admin/wechat/replies/slot/default", reply_form(content={"content": "客服马上回复"}))
    assert answer(app, console, oa_push.text("o_fan", "随便说说"))["Content"] == "客服马上回复"
    edit = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert edit.before == {"content": {"content": "客服稍后回复"}}
    assert edit.after == {"content": {"content": "客服马上回复"}}


def test_a_reply_per_message_type(app, console):
    post_form(console, "/admin/wechat/replies/slot/message:image",
              reply_form(kind="image", content={"media_id": "MEDIA_thanks"}))
    reply = answer(app, console, oa_push.message("o_fan", "image", PicUrl="http://x/y.jpg", MediaId="m1"))
    assert reply["MsgType"] == "image" and reply["Image"]["MediaId"] == "MEDIA_thanks"


def test_a_reply_for_a_menu_click_key(app, console):
    response = post_form(console, "/admin/wechat/replies/click/new",
                         {"key": "MY_POSTER", **reply_form(content={"content": "海报生成中"})})
    assert response.status_code == 302
    assert answer(app, console, oa_push.event("o_fan", "CLICK", "MY_POSTER"))["Content"] == "海报生成中"


def test_a_click_key_that_has_a_reply_is_not_overwritten(app, console):
    replies.set_special_reply("click:MY_POSTER", "text", {"content": "旧的"})
    db.session.commit()
    response = post_form(console, "/admin/wechat/replies/click/new",
                         {"key": "MY_POSTER", **reply_form(content={"content": "新的"})})
    assert response.status_code == 422
    assert "key" in field_errors(response.get_data(as_text=True))
    assert replies.get_special_reply("click:MY_POSTER").content == {"content": "旧的"}


@pytest.mark.parametrize("key", ["", "has space", "k" * 129])
def test_a_click_key_must_be_a_wechat_key(app, console, key):
    response = post_form(console, "/admin/wechat/replies/click/new", {"key": key, **reply_form()})
    assert response.status_code == 422
    assert "key" in field_errors(response.get_data(as_text=True))


def test_menu_keys_without_a_reply_are_pointed_out(app, console):
    menus.save_menu([{"type": "click", "name": "海报", "key": "MY_POSTER"},
                     {"type": "click", "name": "客服", "key": "CONTACT_US"}])
    replies.set_special_reply("click:CONTACT_US", "text", {"content": "客服电话"})
    db.session.commit()
    html = console.get("/admin/wechat/replies/special").get_data(as_text=True)
    assert "/admin/wechat/replies/click/new?key=MY_POSTER" in html
    assert "/admin/wechat/replies/click/new?key=CONTACT_US" not in html
    assert '<div class="wx-bubble">客服电话</div>' in html  # the reply's preview


def test_disabling_and_deleting_a_special_reply(app, console):
    post_form(console, "/admin/wechat/replies/slot/default", reply_form(content={"content": "在的"}))
    post_form(console, "/admin/wechat/replies/slot/default/toggle", {})
    assert answer(app, console, oa_push.text("o_fan", "在吗")) is None
    post_form(console, "/admin/wechat/replies/slot/default/toggle", {})
    assert answer(app, console, oa_push.text("o_fan", "在吗"))["Content"] == "在的"

    post_form(console, "/admin/wechat/replies/slot/default/delete", {})

    assert answer(app, console, oa_push.text("o_fan", "在吗")) is None
    assert db.session.scalars(select(SpecialReply)).all() == []
    actions = [e.action for e in db.session.scalars(select(AuditEntry).order_by(AuditEntry.id))]
    assert actions == ["special_reply.save"] * 3 + ["special_reply.delete"]


def test_an_unknown_situation_is_not_found(app, console):
    assert console.get("/admin/wechat/replies/slot/message:teleport").status_code == 404
    assert post_form(console, "/admin/wechat/replies/slot/nothing", reply_form()).status_code == 404


def test_the_custom_interface_forwards_and_falls_back(app, console):
    content = {"url": "http://127.0.0.1:9/unreachable",
               "fallback": {"kind": "text", "content": {"content": "系统繁忙，稍后再试"}}}
    response = post_form(console, "/admin/wechat/replies/slot/default", reply_form(kind="custom", content=content))

    assert response.status_code == 302
    stored = replies.get_special_reply("default")
    assert stored.kind == "custom" and stored.content["fallback"]["kind"] == "text"
    assert answer(app, console, oa_push.text("o_fan", "你好"))["Content"] == "系统繁忙，稍后再试"
    html = console.get("/admin/wechat/replies/custom").get_data(as_text=True)
    assert "http://127.0.0.1:9/unreachable" in html


def test_the_custom_interface_needs_an_http_url(app, console):
    response = post_form(console, "/admin/wechat/replies/slot/default",
                         reply_form(kind="custom", content={"url": "merchant.example/wx", "fallback": {"kind": ""}}))
    assert response.status_code == 422
    assert "content.url" in field_errors(response.get_data(as_text=True))


@pytest.mark.parametrize("slot", ["subscribe", "default", "message:location", "click:MY_POSTER"])
def test_each_editor_shows_a_live_preview(app, console, slot):
    replies.set_special_reply(slot, "music", {"title": "店歌", "music_url": "https://m.example/a.mp3",
                                              "thumb_media_id": "T1"})
    db.session.commit()
    html = console.get(f"/admin/wechat/replies/slot/{slot}").get_data(as_text=True)
    assert "data-reply-preview" in html and '<span class="wx-music-title">店歌</span>' in html
    assert "wechat_reply.js" in html
