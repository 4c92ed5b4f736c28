"""The official account's message mode, set in the console: shown in Chinese, saved, audited,
and in force for the very next push."""

from __future__ import annotations

import re

from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from app.officialaccount.message_modes import message_mode
from tests import oa_push
from tests.admin_helpers import log_in, make_staff, post


def _console(client):
    make_staff("boss", role="owner")
    log_in(client, "boss")
    return client


def test_the_settings_page_shows_each_mode_in_chinese_with_the_one_in_force_chosen(app, client):
    page = _console(client).get("/admin/wechat/settings").get_data(as_text=True)

    for label in ("明文模式", "兼容模式", "安全模式", "消息加解密方式", "公众号设置"):
        assert label in page
    checked = re.findall(r'value="(\w+)"\s+checked', page)
    assert checked == ["safe"]  # the default with an EncodingAESKey configured


def test_changing_the_mode_is_saved_audited_and_in_force_for_the_next_push(app, client):
    console = _console(client)
    query, body = oa_push.signed(app.config, oa_push.event("o_fan", "subscribe", ""), "plain")
    assert client.post(f"/wechat/oa?{query}", data=body, content_type="text/xml").status_code == 403

    response = post(console, "/admin/wechat/settings", {"message_mode": "compatible"})

    assert response.status_code == 302
    assert message_mode() == "compatible"
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "oa_settings.save")).one()
    assert (entry.area, entry.before, entry.after) == ("wechat", {"message_mode": "safe"},
                                                       {"message_mode": "compatible"})
    assert entry.staff_id is not None
    assert client.post(f"/wechat/oa?{query}", data=body, content_type="text/xml").status_code == 200


def test_an_unknown_mode_is_refused_and_nothing_changes(app, client):
    response = post(_console(client), "/admin/wechat/settings", {"message_mode": "none"})

    assert response.status_code == 422 and "请从选项中选择一项。" in response.get_data(as_text=True)
    assert message_mode() == "safe"
    assert db.session.scalars(select(AuditEntry).where(AuditEntry.action == "oa_settings.save")).all() == []


def test_without_an_encoding_aes_key_only_plain_mode_can_be_chosen(make_app):
    app = make_app(WECHAT_SANDBOX=False, WECHAT_OA_TOKEN="tok", WECHAT_OA_ENCODING_AES_KEY="", WECHAT_OA_APPID="wx1")
    with app.app_context():
        console = _console(app.test_client())

        response = post(console, "/admin/wechat/settings", {"message_mode": "safe"})

        assert response.status_code == 422 and "EncodingAESKey" in response.get_data(as_text=True)
        assert message_mode() == "plain"
