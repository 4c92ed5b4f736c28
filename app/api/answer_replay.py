"""Storefront answers this worker already rendered, replayed before Flask.

A kept product list page or product detail costs one dict lookup, yet through Flask it cost
~140 µs of CPU: request context, routing, query validation, hooks, a Response object — two
and a half times a bare Flask answer, and the product list is what every shopper opens. The
view marks an answer it took from or put into the catalogue's rendered cache (`remember`);
this layer notes the raw path and query that led there and the headers Flask sent with it,
and replays them while `cache.peek` says the answer is still current. Everything else —
a first render, an outdated answer, a worker that has not read the catalogue generations
within CHECK_SECONDS — goes through Flask as before, which renders or refreshes.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Hashable, Iterable
from typing import NamedTuple

from flask import Flask, request

from app.catalog import cache
from app.core.request_log import log_answer, request_id_for

ENVIRON_KEY = "fenxiao.rendered_answer"
MAX_KNOWN = 8000
# Per-request or per-length headers: made afresh for each replay.
FRESH_HEADERS = frozenset({"x-request-id", "content-length"})


class _Known(NamedTuple):
    key: Hashable
    headers: tuple[tuple[str, str], ...]


def remember(key: Hashable) -> None:
    """Called by a view answering with `cache.rendered(key, ...)`: the same path and query
    may be replayed while that answer stays current."""
    request.environ[ENVIRON_KEY] = key


class AnswerReplay:
    """WSGI middleware around `app.wsgi_app` (see the module docstring)."""

    def __init__(self, app: Flask, wsgi_app: Callable) -> None:
        self.app = app
        self.wsgi_app = wsgi_app
        self.known: dict[tuple[str, str], _Known] = {}

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "GET":
            return self.wsgi_app(environ, start_response)
        raw = (environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""))
        known = self.known.get(raw)
        if known is not None:
            body = cache.peek(self.app.extensions, known.key)
            if body is not None:
                return self._replay(environ, start_response, known.headers, body)
        return self._through_flask(environ, start_response, raw)

    def _through_flask(self, environ: dict, start_response: Callable, raw: tuple[str, str]) -> Iterable[bytes]:
        sent: list = []

        def noting(status: str, headers: list, exc_info=None):
            sent[:] = [status, headers]
            return start_response(status, headers, exc_info)

        answer = self.wsgi_app(environ, noting)
        key = environ.get(ENVIRON_KEY)
        if key is not None and sent and sent[0].startswith("200 "):
            headers = tuple((name, value) for name, value in sent[1] if name.lower() not in FRESH_HEADERS)
            if not any(name.lower() == "set-cookie" for name, _value in headers):
                if len(self.known) >= MAX_KNOWN:
                    self.known = {}
                self.known[raw] = _Known(key, headers)
        return answer

    def _replay(self, environ: dict, start_response: Callable, headers: tuple, body: bytes) -> Iterable[bytes]:
        started = time.perf_counter()
        request_id = request_id_for(environ)
        start_response("200 OK", [*headers, ("Content-Length", str(len(body))), ("X-Request-ID", request_id)])
        log_answer("GET", environ.get("PATH_INFO", ""), 200, (time.perf_counter() - started) * 1000, request_id)
        return [body]


def install_answer_replay(app: Flask) -> None:
    app.wsgi_app = AnswerReplay(app, app.wsgi_app)
