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
        if getattr(record, "request_id", None) is not None:  # given by the caller (`log_answer`)
            return True
        try:
            record.request_id = g.get("request_id", "-")
        except RuntimeError:  # outside a request or app context
            record.request_id = "-"
        return True


def configure_logging(app: Flask) -> None:
    # Our format names no source line, thread or process name: collecting them for every
    # record (a stack walk and lookups) was a third of the access log's cost per request — the
    # switches the logging HOWTO lists under "Optimization". The process id stays: it is one
    # os.getpid(), and gunicorn's error log (`[%(process)d]`) cannot format a record without it.
    logging._srcfile = None  # type: ignore[attr-defined]
    logging.logThreads = False
    logging.logMultiprocessing = False
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


def request_id_for(environ: dict) -> str:
    """The caller's X-Request-ID when it is safe to log, else a new one."""
    incoming = environ.get("HTTP_X_REQUEST_ID", "")  # headers.get raises inside when absent
    return incoming if _SAFE_REQUEST_ID.match(incoming) else uuid.uuid4().hex


def log_answer(method: str, path: str, status: int, elapsed_ms: float, request_id: str) -> None:
    """The access-log line, for answers given outside Flask (app/api/answer_replay.py)."""
    log.info("%s %s %s %.1fms", method, path, status, elapsed_ms, extra={"request_id": request_id})


def install_request_log(app: Flask) -> None:
    @app.before_request
    def start_request() -> None:
        g.request_id = request_id_for(request.environ)
        g.request_started = time.perf_counter()

    @app.after_request
    def log_request(response):
        started = g.get("request_started")
        elapsed_ms = (time.perf_counter() - started) * 1000 if started else 0.0
        response.headers["X-Request-ID"] = g.get("request_id", "-")
        log.info("%s %s %s %.1fms", request.method, request.path, response.status_code, elapsed_ms)
        return response
