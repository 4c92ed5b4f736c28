"""No cookie session for token-authenticated paths.

The mini-program's API authenticates with bearer tokens and WeChat's webhooks with
signatures; neither ever reads or writes the console's Redis-backed cookie session. Loading
one anyway costs a Redis round-trip or a new session id on every request, a large share of
what a cached storefront answer costs, so these paths get Flask's null session instead
(which refuses writes, so a view that wrongly tried to use it would fail loudly in tests).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Request
from flask.sessions import SessionInterface, SessionMixin

SESSIONLESS_PREFIXES = ("/api/", "/wechat/pay/")
SESSIONLESS_PATHS = frozenset({"/wechat/oa", "/healthz", "/readyz"})


def is_sessionless(path: str) -> bool:
    return path in SESSIONLESS_PATHS or path.startswith(SESSIONLESS_PREFIXES)


class SessionlessPaths(SessionInterface):
    """Wraps the app's session interface: null sessions on `is_sessionless` paths."""

    def __init__(self, inner: SessionInterface) -> None:
        self.inner = inner

    def open_session(self, app: Flask, request: Request) -> SessionMixin | None:
        if is_sessionless(request.path):
            return self.inner.make_null_session(app)
        return self.inner.open_session(app, request)

    def save_session(self, app: Flask, session: SessionMixin, response: Any) -> None:
        self.inner.save_session(app, session, response)

    def is_null_session(self, obj: object) -> bool:
        return self.inner.is_null_session(obj)

    def __getattr__(self, name: str) -> Any:  # regenerate() and the rest of Flask-Session's interface
        return getattr(self.inner, name)
