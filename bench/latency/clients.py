"""The bench's clients: each an HTTP session (a new connection per request), logged in as
the merchant would be (the console's login form, with its CSRF token) and holding the
biggest agent's bearer token as the mini-program would. And the way a deep page is found: by following the list's own
pager, as a person clicking "next" would.
"""

from __future__ import annotations

import html
import json
import math
import re
import time
from urllib.parse import urlencode, urlsplit

import requests

from bench.latency.answers import AGENT, Answer
from bench.latency.checks import Reply

TIMEOUT = 120.0  # seconds a client waits for an answer (gthread workers do not cut a slow request short)

_TAG = re.compile(r"<(?:a|link|input)\b[^>]*>", re.I)
_ATTRIBUTE = re.compile(r'([\w-]+)\s*=\s*"([^"]*)"')
_PAGE_COUNT = re.compile(r"(\d+)\s*/\s*(\d+)\s*</span>")  # the offset pager's "3 / 250"


class LoginFailed(Exception):
    pass


def _attributes(tag: str) -> dict[str, str]:
    return {name.lower(): html.unescape(value) for name, value in _ATTRIBUTE.findall(tag)}


class Client:
    """Each request on a connection of its own (`Connection: close`), as nginx's `proxy_pass`
    talks to its upstream by default: a kept-alive connection would pin a client to the worker
    that accepted it for the whole run, and 8 such clients land unevenly on 4 workers (seen:
    all 8 on 2 of them, whose threads then queue on their interpreter's lock while the other
    2 workers idle, doubling p50). A new connection goes to whichever worker accepts first."""

    def __init__(self, base: str, token: str | None, timeout: float = TIMEOUT) -> None:
        self.base, self.token, self.timeout = base, token, timeout
        self.session = requests.Session()
        self.session.headers["Connection"] = "close"

    def log_in(self, username: str, password: str) -> None:
        """Through the login form, as a merchant does: its CSRF token, then the POST."""
        form = self.session.get(f"{self.base}/admin/login", timeout=self.timeout)
        token = next((attributes["value"] for attributes in map(_attributes, _TAG.findall(form.text))
                      if attributes.get("name") == "csrf_token" and "value" in attributes), None)
        if form.status_code != 200 or token is None:
            raise LoginFailed(f"the login form answered {form.status_code} without a CSRF token")
        answer = self.session.post(f"{self.base}/admin/login", allow_redirects=False, timeout=self.timeout, data={
            "csrf_token": token, "username": username, "password": password})
        if answer.status_code != 302 or "/admin/login" in answer.headers.get("Location", ""):
            raise LoginFailed(f"logging in answered {answer.status_code}")

    def get(self, answer: Answer, path: str | None = None) -> tuple[float, Reply]:
        """Ask for an answer; the seconds until its whole body arrived, and the reply."""
        headers = {"Authorization": f"Bearer {self.token}"} if answer.who == AGENT else {}
        started = time.perf_counter()
        try:
            response = self.session.get(self.base + (path or answer.path), headers=headers, timeout=self.timeout)
            body = response.content
        except requests.RequestException as exc:
            return time.perf_counter() - started, Reply(0, f"no answer: {exc.__class__.__name__}".encode(), "")
        seconds = time.perf_counter() - started
        return seconds, Reply(response.status_code, body, urlsplit(response.url).path)

    def close(self) -> None:
        self.session.close()


def _next_link(text: str) -> str | None:
    """The href of the page's `<a rel="next">` (the keyset pager's), if it has one."""
    for tag in _TAG.findall(text):
        attributes = _attributes(tag)
        if "next" in attributes.get("rel", "").split() and attributes.get("href"):
            return attributes["href"]
    return None


def _with(path: str, **args) -> str:
    split = urlsplit(path)
    query = "&".join(part for part in [split.query, urlencode(args)] if part)
    return f"{split.path}?{query}"


def deep_page(client: Client, answer: Answer, number: int) -> tuple[str, int] | None:
    """(path, page number) of page `number` of the list, or of its last page when it has
    fewer; None when it has one page only. A keyset pager (`<a rel="next">` in the console,
    `next_cursor` in the API) is followed page by page; an offset pager whose page count
    page 1 shows is asked for `page=number` at once, one that does not show it is followed
    through its `page=` links."""
    path, reached = answer.path, 1
    while reached < number:
        _seconds, reply = client.get(answer, path)
        problem = answer.check(reply) if reached == 1 else answer.deep(path, reached).check(reply)
        if problem:
            raise RuntimeError(f"{answer.name}, page {reached}: {problem}")
        following = _follow(reply, path, answer.pager, reached)
        if following is None:  # an offset pager with a page count: jump
            target = min(number, _page_count(reply, answer.pager))
            return (_with(answer.path, page=target), target) if target > 1 else None
        if following == "":  # the last page
            break
        path, reached = following, reached + 1
    return (path, reached) if reached > 1 else None


def _follow(reply: Reply, path: str, pager: str | None, reached: int) -> str | None:
    """The next page's path; "" on the last page; None for an offset pager that says how
    many pages there are (no need to follow it)."""
    if pager == "api":
        data = json.loads(reply.body)
        if "next_cursor" not in data:
            return None
        cursor = data["next_cursor"]
        split = urlsplit(path)
        args = [part for part in split.query.split("&") if part and not part.startswith("cursor=")]
        return _with(f"{split.path}?{'&'.join(args)}", cursor=cursor) if cursor else ""
    text = reply.text()
    link = _next_link(text)
    if link:
        return link
    if 'rel="prev"' in text:  # a keyset pager's last page
        return ""
    if _PAGE_COUNT.search(text):
        return None
    following = re.compile(rf"[?&]page={reached + 1}(?:&|$)")
    return next((href for href in (_attributes(tag).get("href", "") for tag in _TAG.findall(text))
                 if following.search(href)), "")


def _page_count(reply: Reply, pager: str | None) -> int:
    if pager == "api":
        data = json.loads(reply.body)
        return max(1, math.ceil(int(data.get("total", 0)) / max(1, int(data.get("size", 20)))))
    found = _PAGE_COUNT.search(reply.text())
    return int(found.group(2)) if found else 1
