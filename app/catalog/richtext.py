"""Product detail HTML from the console's rich-text editor (wangEditor), sanitised before it is
stored, and dressed for the mini-program's rich-text component when it is served. Every kept tag
is one rich-text renders (miniprogram/tests/unit/rich-text.test.js holds its list).

nh3 (Ammonia) keeps an allow-list of tags and attributes: scripts, event handlers, iframes and
javascript:/data: URLs are dropped, and links get rel="noopener". Inline styles keep only the
properties the editor's toolbar writes (alignment, indent, colour, font size, image width), with
plain values: no url(), no expression(), nothing that positions or hides.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import nh3

MAX_DETAIL_LENGTH = 200_000

TAGS = {"p", "br", "div", "span", "strong", "b", "em", "i", "u", "s", "h1", "h2", "h3", "h4", "h5", "h6",
        "blockquote", "ul", "ol", "li", "img", "a", "table", "thead", "tbody", "tr", "th", "td", "hr"}
STYLED = {"p", "div", "span", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "li", "img", "table", "th", "td"}
ATTRIBUTES = {
    "img": {"src", "alt", "width", "height"},
    "a": {"href", "title"},
    "table": {"width"},
    "td": {"colspan", "rowspan", "width"},
    "th": {"colspan", "rowspan", "width"},
    "*": {"class"},
}
STYLE_PROPERTIES = {"text-align", "text-indent", "line-height", "color", "background-color", "font-size",
                    "width", "height"}
URL_SCHEMES = {"http", "https"}
# A value made of words, numbers with units, #hex and rgb()/rgba() colours; anything else (url(),
# expression(), var(), quotes, escapes) loses its declaration.
_PLAIN_VALUE = re.compile(r"(?:[#\w.%-]+|rgba?\(\s*[\d.%]+(?:\s*,\s*[\d.%]+){2,3}\s*\)|\s+)+")


def sanitise_detail(html_text: str) -> str:
    """What may be shown in the mini-program's rich-text component, nothing more."""
    attributes = {tag: {*ATTRIBUTES.get(tag, ()), *({"style"} if tag in STYLED else ())}
                  for tag in {*ATTRIBUTES, *STYLED}}
    return nh3.clean(html_text or "", tags=TAGS, attributes=attributes, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer", strip_comments=True,
                     filter_style_properties=STYLE_PROPERTIES, attribute_filter=_plain_styles).strip()


def _plain_styles(tag: str, attribute: str, value: str) -> str | None:
    if attribute != "style":
        return value
    kept = []
    for declaration in value.split(";"):
        name, colon, setting = declaration.partition(":")
        name, setting = name.strip().lower(), setting.strip()
        if colon and name in STYLE_PROPERTIES and _PLAIN_VALUE.fullmatch(setting):
            kept.append(f"{name}: {setting}")
        # else: dropped without a trace, as nh3 drops a disallowed attribute
    return "; ".join(kept) + ";" if kept else None


# rich-text shows pictures at their natural size, tables without rules and quotes unmarked: a phone screen needs
# pictures no wider than itself and a table that reads as one.
MINI_PROGRAM_STYLES = {
    "img": "max-width: 100%; height: auto; display: block;",
    "table": "width: 100%; border-collapse: collapse;",
    "th": "border: 1px solid #e5e5e5; padding: 4px 6px; background-color: #f7f7f7;",
    "td": "border: 1px solid #e5e5e5; padding: 4px 6px;",
    "blockquote": "margin: 8px 0; padding: 4px 10px; border-left: 3px solid #e5e5e5; color: #666;",
}


def for_rich_text(stored_html: str, base_url: str) -> str:
    """A stored (already sanitised) detail with the mini-program's layout styles after the editor's
    own; a picture keeps the width the merchant gave it (50%), else it fills the screen's width.
    A picture stored as a path (/media/…, from the console's uploads) gets the shop's address in
    front: rich-text loads only whole addresses."""
    writer = _StyleWriter(base_url.rstrip("/"))
    writer.feed(stored_html or "")
    writer.close()
    return "".join(writer.out)


class _StyleWriter(HTMLParser):
    def __init__(self, base_url: str) -> None:
        super().__init__(convert_charrefs=False)
        self.base_url = base_url
        self.out: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.out.append(self._tag(tag, attrs, "") if tag in MINI_PROGRAM_STYLES else self.get_starttag_text())

    def handle_startendtag(self, tag, attrs):
        self.out.append(self._tag(tag, attrs, " /") if tag in MINI_PROGRAM_STYLES else self.get_starttag_text())

    def handle_endtag(self, tag):
        self.out.append(f"</{tag}>")

    def handle_data(self, data):
        self.out.append(data)

    def handle_entityref(self, name):
        self.out.append(f"&{name};")

    def handle_charref(self, name):
        self.out.append(f"&#{name};")

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]], close: str) -> str:
        own = dict(attrs)
        style = MINI_PROGRAM_STYLES[tag]
        if tag == "img" and "width" not in (own.get("style") or ""):
            style += " width: 100%;"
        src = own.get("src") or ""
        if tag == "img" and src.startswith("/") and not src.startswith("//"):
            own["src"] = self.base_url + src
        own["style"] = f"{own.get('style') or ''}; {style}".lstrip("; ")
        written = "".join(f' {name}="{html.escape(value or "", quote=True)}"' for name, value in own.items())
        return f"<{tag}{written}{close}>"


class _Pictures(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.urls.extend(value for name, value in attrs if name == "src" and value)


def picture_urls(html: str) -> list[str]:
    """The addresses of the pictures a detail shows (the media library counts them as used)."""
    parser = _Pictures()
    parser.feed(html or "")
    parser.close()
    return parser.urls
