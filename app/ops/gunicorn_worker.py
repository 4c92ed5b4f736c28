"""gunicorn's gthread worker, answering the requests it refuses itself in our JSON error shape.

A request line over `limit_request_line`, headers over `limit_request_fields` or
`limit_request_field_size`, or any request gunicorn cannot parse never reaches Flask: gunicorn
answers it in `Worker.handle_error` with an HTML page (`gunicorn.util.write_error`). This
worker answers the same refusals with `{"error": {"code", "message", "fields"}}` and a status
that names the problem (414, 431, 400, …), and logs gunicorn's own warning line. The messages
are English: no locale can be chosen for a request that could not be read.
"""

from __future__ import annotations

import json
import socket
import ssl
import time

from gunicorn.http import errors
from gunicorn.util import write_nonblock
from gunicorn.workers.gthread import ThreadWorker

LINGER_SECONDS = 1.0  # how long a refused client may go on sending before the socket closes
LINGER_BYTES = 256 * 1024
_REASONS = {400: "Bad Request", 403: "Forbidden", 414: "URI Too Long", 431: "Request Header Fields Too Large",
            500: "Internal Server Error", 501: "Not Implemented"}

# most specific first: LimitRequestLine and the others are all ParseExceptions
_REFUSALS: tuple[tuple[type[BaseException], int, str, str], ...] = (
    (errors.LimitRequestLine, 414, "request_line_too_long", "The request line is too long."),
    (errors.LimitRequestHeaders, 431, "headers_too_large", "The request headers are too many or too large."),
    (errors.ForbiddenProxyRequest, 403, "forbidden", "You are not allowed to do this."),
    (ssl.SSLError, 403, "forbidden", "You are not allowed to do this."),
    (errors.UnsupportedTransferCoding, 501, "unsupported_transfer_coding", "This transfer coding is not supported."),
    (errors.ConfigurationProblem, 500, "internal_error", "Something went wrong on our side. Please try again."),
    (errors.ParseException, 400, "bad_request", "The request could not be understood."),
)
_UNEXPECTED = (500, "internal_error", "Something went wrong on our side. Please try again.")


def refusal_for(exc: BaseException) -> tuple[int, str, str] | None:
    """(status, code, message) for a request gunicorn refuses; None for an error of its own."""
    for kind, status, code, message in _REFUSALS:
        if isinstance(exc, kind):
            return status, code, message
    return None


def error_answer(status: int, code: str, message: str) -> bytes:
    """A complete HTTP/1.1 answer that closes the connection, as gunicorn's own does."""
    body = json.dumps({"error": {"code": code, "message": message, "fields": {}}}).encode("ascii")
    head = (f"HTTP/1.1 {status} {_REASONS.get(status, 'Error')}\r\nConnection: close\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n")
    return head.encode("ascii") + body


class JsonErrorWorker(ThreadWorker):
    def handle_error(self, req, client, addr, exc):
        refusal = refusal_for(exc)
        if refusal is not None:
            self.log.warning("Invalid request from ip=%s: %s", (addr or ("",))[0], exc)
        else:
            self.log.exception("Error handling request %s", getattr(req, "uri", "(no URI read)"))
        try:
            write_nonblock(client, error_answer(*(refusal or _UNEXPECTED)))
            _linger(client)
        except Exception:  # the client may be gone already; gunicorn ignores this too
            self.log.debug("Failed to send error message.")


def _linger(client: socket.socket) -> None:
    """Briefly read and drop what the client is still sending before gunicorn closes the socket.

    A refusal leaves the rest of the request unread (the tail of a long line, the headers after
    it); closing with unread bytes makes the kernel answer with a reset, which can destroy our
    answer before the client reads it. nginx and Apache do the same ("lingering close")."""
    client.shutdown(socket.SHUT_WR)
    client.settimeout(LINGER_SECONDS)
    deadline, drained = time.monotonic() + LINGER_SECONDS, 0
    try:
        while drained < LINGER_BYTES and time.monotonic() < deadline:
            chunk = client.recv(64 * 1024)
            if not chunk:
                return
            drained += len(chunk)
    except OSError:  # timed out or reset: the answer has been sent, nothing more to do
        return
