"""Every user-facing string in the code has a Simplified Chinese translation."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
METHODS = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}


def test_every_string_in_the_code_is_translated_to_chinese():
    with (ROOT / "app/translations/zh_Hans_CN/LC_MESSAGES/messages.po").open("rb") as handle:
        catalogue = read_po(handle)
    translated = {m.id for m in catalogue if m.id and m.string and not m.fuzzy}
    in_code = {
        message if isinstance(message, str) else message[0]
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / "app", METHODS, keywords=KEYWORDS)
    }
    assert sorted(in_code - translated) == []


def test_wechat_refusals_are_answered_in_chinese_by_default(client):
    response = client.get("/api/v1/wechat/jssdk-config", query_string={"url": "https://evil.example/"})
    assert response.get_json()["error"]["fields"]["url"] == "该地址不是本站页面。"
