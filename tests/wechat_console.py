"""Posting the official-account console's forms as a browser does: fields named by their path."""

from __future__ import annotations

import re
from typing import Any

from tests.admin_helpers import post


def flatten(value: Any, prefix: str) -> dict[str, Any]:
    """{"articles": [{"url": u}]} under "content" → {"content.articles.0.url": u}."""
    if isinstance(value, dict):
        fields: dict[str, Any] = {}
        for key, child in value.items():
            fields.update(flatten(child, f"{prefix}.{key}"))
        return fields
    if isinstance(value, list):
        fields = {}
        for index, child in enumerate(value):
            fields.update(flatten(child, f"{prefix}.{index}"))
        return fields
    return {prefix: "" if value is None else value}


def rule_form(name: str = "优惠活动", keywords=(("优惠", "exact"),), kind: str = "text",
              content: dict | None = None, priority: int = 0, enabled: bool = True) -> dict[str, Any]:
    form = {"name": name, "priority": str(priority), "kind": kind,
            **flatten(content if content is not None else {"content": "本周满100减20"}, "content")}
    for index, (text, match) in enumerate(keywords):
        form[f"keywords.{index}.text"], form[f"keywords.{index}.match"] = text, match
    if enabled:
        form["is_enabled"] = "y"
    return form


def reply_form(kind: str = "text", content: dict | None = None, enabled: bool = True) -> dict[str, Any]:
    form = {"kind": kind, **flatten(content if content is not None else {"content": "欢迎"}, "content")}
    if enabled:
        form["is_enabled"] = "y"
    return form


def post_form(client, path: str, data: dict[str, Any]):
    """Post `data` with the session's CSRF token, as the page's form does."""
    return post(client, path, data)


def field_errors(html: str) -> dict[str, str]:
    """The field errors a page shows, by the path of the field they stand next to."""
    return dict(re.findall(r'data-error-for="([^"]+)">([^<]*)<', html))


def article(n: int, url: str | None = None) -> dict[str, str]:
    return {"title": f"第{n}篇", "description": "", "picurl": "", "url": url or f"https://shop.example/a/{n}"}
