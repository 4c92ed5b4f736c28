"""Request ids and one access-log line per request, without secrets.

Only the method, path (no query string: it may carry codes or tokens), status and
duration are logged; headers and bodies never are.
"""

from __future__ import annotations

import logging
import re
import time
import uuid

from flask import Flask, g, request

log = logging.getLogger("fenxiao.request")

_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            record.request_id = g.get("request_id", "-")
        except RuntimeError:  # outside a request or app context
            record.request_id = "-"
        return True


def configure_logging(app: Flask) -> None:
    root = logging.getLogger()
    if not any(getattr(h, "fenxiao", False) for h in root.handlers):
        handler = logging.StreamHandler()
        handler.fenxiao = True  # type: ignore[attr-defined]
        handler.addFilter(RequestIdFilter())
        handler.setFormatter(logging.Formatter(
            "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"))
        root.addHandler(handler)
    root.setLevel(app.config.get("LOG_LEVEL", "INFO"))
    # The dev server's own access log prints query strings (codes, tokens): ours replaces it.
    logging.getLogger("werkzeug").setLevel(logging.WARNING)


def install_request_log(app: Flask) -> None:
    @app.before_request
    def start_request() -> None:
        incoming = request.environ.get("HTTP_X_REQUEST_ID", "")  # headers.get raises inside when absent
        g.request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def log_request(response):
        started = g.get("request_started")
        elapsed_ms = (time.perf_counter() - started) * 1000 if started else 0.0
        response.headers["X-Request-ID"] = g.get("request_id", "-")
        log.info("%s %s %s %.1fms", request.method, request.path, response.status_code, elapsed_ms)
        return response
