"""How an answer is judged right: a check takes the status, the body and where the request
ended up, and names what is wrong (None when nothing is). A console page must be the page
itself (200, not the login form) showing what the shop holds, e.g. the newest order's number
on page 1; an API answer must be 200 JSON whose figures are the shop's."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Reply:
    status: int
    body: bytes
    url: str  # after redirects

    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


Check = Callable[[Reply], "str | None"]


def page(*must: str, rows: str | None = None, heading: str | None = None) -> Check:
    """A console page: 200, still the asked page (a lost login ends on /admin/login), every
    `must` string in it, and at least one match of the `rows` pattern (a list's row)."""
    pattern = re.compile(rows) if rows else None

    def check(reply: Reply) -> str | None:
        if reply.status != 200:
            return f"HTTP {reply.status}"
        if "/admin/login" in reply.url:
            return "answered with the login page"
        text = reply.text()
        if "</html>" not in text:
            return "not a whole HTML page"
        missing = [item for item in must if item not in text]
        if missing:
            return f"missing {', '.join(repr(item) for item in missing)}"
        if pattern is not None and not pattern.search(text):
            return f"no row matching {pattern.pattern!r}"
        if heading is not None and heading not in text:
            return f"missing {heading!r}"
        return None

    return check


def api(verify: Callable[[Any], str | None] | None = None) -> Check:
    """An API answer: 200 JSON, and whatever `verify` finds wrong in it."""

    def check(reply: Reply) -> str | None:
        if reply.status != 200:
            return f"HTTP {reply.status}: {reply.text()[:200]}"
        try:
            data = json.loads(reply.body)
        except ValueError:
            return "not JSON"
        return verify(data) if verify else None

    return check


def items(*, first: Callable[[dict], bool] | None = None, each: Callable[[dict], bool] | None = None,
          empty: bool | None = None, describe: str = "") -> Callable[[Any], str | None]:
    """A list answer ({"items": [...]}): empty or not as the shop says; its first item the
    shop's newest; every item passing `each`."""

    def verify(data: Any) -> str | None:
        rows = data.get("items") if isinstance(data, dict) else None
        if not isinstance(rows, list):
            return "no items list"
        if empty is True and rows:
            return "items where the shop has none"
        if empty is False and not rows:
            return "no items where the shop has some"
        if first is not None and rows and not first(rows[0]):
            return f"first item is not {describe or 'the newest'}: {json.dumps(rows[0], ensure_ascii=False)[:200]}"
        if each is not None:
            wrong = [row for row in rows if not each(row)]
            if wrong:
                return f"{len(wrong)} items do not belong: {json.dumps(wrong[0], ensure_ascii=False)[:200]}"
        return None

    return verify


def fields(expected: dict[str, Any], path: tuple[str, ...] = ()) -> Callable[[Any], str | None]:
    """Every key of `expected` has that value (inside `path`)."""

    def verify(data: Any) -> str | None:
        found = data
        for key in path:
            found = found.get(key) if isinstance(found, dict) else None
        if not isinstance(found, dict):
            return f"no {'.'.join(path) or 'object'}"
        wrong = {key: found.get(key) for key, value in expected.items() if found.get(key) != value}
        return f"{wrong} where the shop has {({key: expected[key] for key in wrong})}" if wrong else None

    return verify


def every(*verifies: Callable[[Any], str | None]) -> Callable[[Any], str | None]:
    def verify(data: Any) -> str | None:
        for one in verifies:
            problem = one(data)
            if problem:
                return problem
        return None

    return verify
