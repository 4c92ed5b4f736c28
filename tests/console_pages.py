"""Walking the console like a merchant: every page the menu opens, then the pages their rows
link to, with the text a person actually reads on each (no tags, scripts, styles or
attribute values)."""

from __future__ import annotations

import importlib
import pkgutil
import re
from enum import Enum
from html.parser import HTMLParser
from urllib.parse import urlsplit

import app as app_package

_HIDDEN = {"script", "style", "template", "noscript"}
# The audit log's before/after snapshots are stored data shown as data (JSON), not words.
_DATA_CLASS = "audit-snapshot"
_LINK = re.compile(r'href="(/admin/[^"#]*)"')
# Pages that are not pages: downloads, printouts, leaving, JSON.
_SKIP = re.compile(r"/logout|/lang/|/download|\.xlsx|\.csv|\.json|/static/|/vendor/|/preview|/print|/qrcode")


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hidden = 0
        self.closing: list[str] = []  # the hidden elements we are inside, innermost last
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in _HIDDEN or _DATA_CLASS in (dict(attrs).get("class") or ""):
            self.hidden += 1
            self.closing.append(tag)

    def handle_endtag(self, tag):
        if self.closing and self.closing[-1] == tag:
            self.closing.pop()
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def _shape(path: str) -> str:
    """One page per kind: /admin/orders/12 and /admin/orders/13 are the same page; a list's
    tabs (?status=paid) are different pages."""
    parts = urlsplit(path)
    return re.sub(r"\d+", "{id}", parts.path) + "?" + parts.query


def crawl_console(client, start: str = "/admin/", depth: int = 2) -> dict[str, str]:
    """Every console page within `depth` links of the dashboard: path -> HTML (200s only;
    anything else is recorded as its status for the caller to report)."""
    pages: dict[str, str] = {}
    seen_shapes: set[str] = set()
    frontier = [start]
    for _ in range(depth + 1):
        following: list[str] = []
        for path in frontier:
            answer = client.get(path, follow_redirects=True)
            html = answer.get_data(as_text=True)
            pages[path] = html if answer.status_code == 200 else f"HTTP {answer.status_code}"
            if answer.status_code != 200 or answer.mimetype != "text/html":
                continue
            for link in _LINK.findall(html):
                link = link.replace("&amp;", "&")
                shape = _shape(link)
                if _SKIP.search(link) or shape in seen_shapes or link in pages:
                    continue
                seen_shapes.add(shape)
                following.append(link)
        frontier = following
    return pages


def app_enums() -> list[type[Enum]]:
    """Every Enum class the application defines (imported from every module under app/)."""
    for module in pkgutil.walk_packages(app_package.__path__, "app."):
        importlib.import_module(module.name)
    found: list[type[Enum]] = []
    stack = list(Enum.__subclasses__())
    while stack:
        kind = stack.pop()
        stack.extend(kind.__subclasses__())
        if kind.__module__.startswith("app."):
            found.append(kind)
    return found


def enum_values() -> set[str]:
    return {str(member.value) for kind in app_enums() for member in kind if isinstance(member.value, str)}
