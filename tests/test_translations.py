"""Every English msgid has a Simplified Chinese translation that is not a fuzzy guess."""

from __future__ import annotations

from pathlib import Path

from babel.messages.pofile import read_po

CATALOG = Path(__file__).resolve().parent.parent / "app/translations/zh_Hans_CN/LC_MESSAGES/messages.po"


def test_every_message_is_translated():
    with CATALOG.open("rb") as file:
        catalog = read_po(file)
    untranslated = [message.id for message in catalog if message.id and (not message.string or message.fuzzy)]
    assert untranslated == []


def test_wechat_refusals_are_answered_in_chinese_by_default(client):
    response = client.get("/api/v1/wechat/jssdk-config", query_string={"url": "https://evil.example/"})
    assert response.get_json()["error"]["fields"]["url"] == "该地址不是本站页面。"
