"""Form fields named by their place in a tree (`content.articles.2.url`), read back as the tree.

The names are the same paths the domain's validation errors use, so an error lands next to
the input it is about, and a list keeps the order of its indices (the browser renumbers rows).
"""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

MAX_DEPTH = 8


def nested_fields(form: MultiDict, prefix: str) -> Any:
    """The fields under `prefix.` as nested dicts, with all-number keys turned into lists."""
    tree: dict = {}
    start = prefix + "."
    for name, value in form.items():
        if not name.startswith(start):
            continue
        parts = name[len(start):].split(".")
        if len(parts) > MAX_DEPTH or not all(parts):
            continue
        node = tree
        for part in parts[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                break
            node = child
        else:
            if not isinstance(node.get(parts[-1]), dict):
                node[parts[-1]] = value
    return _lists(tree)


def _lists(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    if node and all(key.isdigit() and len(key) < 6 for key in node):
        return [_lists(node[key]) for key in sorted(node, key=int)]
    return {key: _lists(value) for key, value in node.items()}


_NUMBERED = {"articles": _l("Article %(n)s"), "keywords": _l("Keyword %(n)s"),
             "buttons": _l("Menu %(n)s"), "sub_button": _l("Sub-menu %(n)s")}
_NAMES = {
    "articles": _l("Articles"), "keywords": _l("Keywords"), "buttons": _l("Menu"), "sub_button": _l("Sub-menus"),
    "fallback": _l("Fallback reply"), "title": _l("Title"), "description": _l("Description"),
    "picurl": _l("Cover image URL"), "url": _l("URL"), "media_id": "media_id", "music_url": _l("Music URL"),
    "hq_music_url": _l("High-quality music URL"), "thumb_media_id": _l("Thumbnail media_id"), "name": _l("Name"),
    "priority": _l("Priority"), "kind": _l("Reply type"), "text": _l("Keyword"), "match": _l("Match type"),
    "key": _l("Key"), "type": _l("Button type"), "appid": _l("Mini-program AppID"), "pagepath": _l("Page path"),
    "article_id": "article_id", "slot": _l("Situation"), "is_enabled": _l("Enabled"), "content": _l("Content"),
}


def describe(path: str) -> str:
    """A field path in the merchant's words: `content.articles.3.url` → "Article 4 · URL"."""
    parts = path.split(".")
    words: list[str] = []
    index = 0
    while index < len(parts):
        part = parts[index]
        following = parts[index + 1] if index + 1 < len(parts) else ""
        if part == "content" and index + 1 < len(parts):
            pass  # the reply's content: its fields speak for themselves
        elif part in _NUMBERED and following.isdigit():
            words.append(str(_NUMBERED[part]) % {"n": int(following) + 1})
            index += 1
        else:
            words.append(str(_NAMES.get(part, part)))
        index += 1
    return " · ".join(words)
