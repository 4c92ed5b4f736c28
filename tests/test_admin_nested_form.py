"""Fields named by their path read back as the tree the domain validates; paths in the merchant's words."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from app.admin.nested_form import describe, nested_fields
from app.admin.wechat_forms import menu_from_form, pick_content
from app.officialaccount import menus


def test_paths_become_dicts_and_numbered_lists_in_index_order():
    form = MultiDict([("content.articles.10.title", "k"), ("content.articles.2.title", "c"),
                      ("content.articles.2.url", "u"), ("content.url", "x"), ("kind", "news")])
    assert nested_fields(form, "content") == {"articles": [{"title": "c", "url": "u"}, {"title": "k"}], "url": "x"}


def test_malformed_names_are_ignored():
    form = MultiDict([("content.a", "leaf"), ("content.a.b", "deeper"), ("content..x", "empty part"),
                      ("content" + ".d" * 20, "too deep"), ("contentious", "not under the prefix")])
    assert nested_fields(form, "content") == {"a": "leaf"}


def test_only_the_chosen_kinds_fields_are_validated():
    raw = {"content": "文字", "articles": [{"title": "t", "url": "u", "extra": "x"}], "media_id": "M"}
    assert pick_content("text", raw) == {"content": "文字"}
    assert pick_content("news", raw) == {"articles": [{"title": "t", "description": "", "picurl": "", "url": "u"}]}
    assert pick_content("custom", {"url": " https://m.example ", "fallback": {"kind": ""}}) == \
        {"url": "https://m.example", "fallback": None}


def test_a_menu_button_with_sub_buttons_keeps_only_its_name():
    form = MultiDict([("buttons.0.name", "更多"), ("buttons.0.type", "click"), ("buttons.0.key", "K"),
                      ("buttons.0.sub_button.0.name", "官网"), ("buttons.0.sub_button.0.type", "view"),
                      ("buttons.0.sub_button.0.url", "https://x.example/"), ("buttons.0.sub_button.0.key", "stale")])
    assert menu_from_form(form) == [{"name": "更多", "sub_button": [
        {"name": "官网", "type": "view", "url": "https://x.example/"}]}]


def test_paths_are_described_in_the_merchants_words(app):
    assert describe("content.articles.3.url") == "图文 4 · 链接地址"
    assert describe("buttons.1.sub_button.3.name") == "菜单 2 · 子菜单 4 · 名称"
    assert describe("content.fallback.content.content") == "兜底回复 · 内容"
    assert describe("keywords.0") == "关键词 1"


def test_click_keys_are_listed_once_in_menu_order():
    buttons = [{"type": "click", "name": "a", "key": "A"},
               {"name": "b", "sub_button": [{"type": "view", "name": "v", "url": "https://x/"},
                                            {"type": "click", "name": "c", "key": "C"},
                                            {"type": "click", "name": "a2", "key": "A"}]}]
    assert menus.click_keys(buttons) == ["A", "C"]
