"""Product detail HTML from the merchant's editor, sanitised before it is stored.

nh3 (Ammonia) keeps an allow-list of tags and attributes: scripts, event handlers, styles
with expressions and javascript:/data: URLs are dropped, and links get rel="noopener".
"""

from __future__ import annotations

import nh3

MAX_DETAIL_LENGTH = 200_000

TAGS = {"p", "br", "div", "span", "strong", "b", "em", "i", "u", "s", "h1", "h2", "h3", "h4", "blockquote",
        "ul", "ol", "li", "img", "a", "table", "thead", "tbody", "tr", "th", "td", "hr", "figure", "figcaption"}
ATTRIBUTES = {
    "img": {"src", "alt", "width", "height"},
    "a": {"href", "title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan"},
    "*": {"class"},
}
URL_SCHEMES = {"http", "https"}


def sanitise_detail(html: str) -> str:
    """What may be shown in the mini-program's rich-text component, nothing more."""
    return nh3.clean(html or "", tags=TAGS, attributes=ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer", strip_comments=True).strip()
