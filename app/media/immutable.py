"""Content-addressed media (posters, mini-program codes, poster backgrounds and thumbnails)
served before Flask's routing: a name never changes content, so these files are answered
straight from disk with an ETag, a year's `Cache-Control: immutable` and 304 for a matching
If-None-Match — as cheap as a static file server. Anything else (or a missing file) goes on
to the app."""

from __future__ import annotations

import mimetypes
import os
import time
from collections.abc import Callable, Iterable

from werkzeug.security import safe_join

from app.core.request_log import log_answer, request_id_for
from app.core.security_headers import DEFAULT_HEADERS

YEAR = 365 * 24 * 3600
CACHE_CONTROL = f"public, max-age={YEAR}, immutable"
PREFIXES = ("posters/", "wxacode/", "poster-backgrounds/", "poster-thumbnails/", "library/")


class ImmutableMedia:
    def __init__(self, wsgi_app: Callable, root: str, url_prefix: str) -> None:
        self.wsgi_app = wsgi_app
        self.root = root
        self.url_prefix = url_prefix.rstrip("/") + "/"
        self.paths = tuple(self.url_prefix + prefix for prefix in PREFIXES)

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or not path.startswith(self.paths):
            return self.wsgi_app(environ, start_response)
        started = time.perf_counter()
        filename = safe_join(self.root, path[len(self.url_prefix):])
        try:
            stat = os.stat(filename) if filename else None
        except OSError:
            stat = None
        if stat is None or not os.path.isfile(filename):
            return self.wsgi_app(environ, start_response)  # Flask answers the 404
        etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
        request_id = request_id_for(environ)
        headers = [("ETag", etag), ("Cache-Control", CACHE_CONTROL), ("X-Request-ID", request_id), *DEFAULT_HEADERS]
        if etag in environ.get("HTTP_IF_NONE_MATCH", ""):
            start_response("304 Not Modified", headers)
            body: Iterable[bytes] = []
            status = 304
        else:
            headers += [("Content-Type", mimetypes.guess_type(filename)[0] or "application/octet-stream"),
                        ("Content-Length", str(stat.st_size))]
            start_response("200 OK", headers)
            if environ["REQUEST_METHOD"] == "HEAD":
                body = []
            else:
                handle = open(filename, "rb")  # noqa: SIM115  (closed by the server via the wrapper)
                wrapper = environ.get("wsgi.file_wrapper")
                body = wrapper(handle, 64 * 1024) if wrapper else _chunks(handle)
            status = 200
        log_answer(environ["REQUEST_METHOD"], path, status, (time.perf_counter() - started) * 1000, request_id)
        return body


def _chunks(handle) -> Iterable[bytes]:
    with handle:
        while chunk := handle.read(64 * 1024):
            yield chunk
