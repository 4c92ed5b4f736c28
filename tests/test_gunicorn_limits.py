"""The real app under gunicorn (gunicorn.conf.py): requests over its limits or that it cannot parse
are answered in our JSON error shape, and gunicorn's own log prints its warning lines."""

from __future__ import annotations

import json
import os
import socket
import time
from pathlib import Path

import pytest

from bench.loadgen import free_port, gunicorn, wait_until_answering


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """(port, path of gunicorn's stderr) for wsgi:app with one worker on a throwaway instance."""
    folder = tmp_path_factory.mktemp("gunicorn")
    env = {key: value for key, value in os.environ.items()
           if key not in ("DATABASE_URL", "REDIS_URL", "RQ_INLINE", "PUBLIC_BASE_URL")}
    env.update(FENXIAO_INSTANCE_PATH=str(folder), WECHAT_SANDBOX="1",
               PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    port, log_path = free_port(), folder / "gunicorn.log"
    with gunicorn("wsgi:app", port, env, log_path, workers=1, threads=2):
        wait_until_answering(port, "/healthz", answers=2)
        yield port, log_path


def _exchange(port: int, raw: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send raw bytes, read until gunicorn closes: (status, headers, body)."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(raw)
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, _, value in (line.partition(":") for line in header_lines)}
    return int(status_line.split()[1]), headers, body


def _error_of(headers: dict[str, str], body: bytes) -> dict:
    assert headers["content-type"] == "application/json"
    assert int(headers["content-length"]) == len(body)
    error = json.loads(body)["error"]
    assert set(error) == {"code", "message", "fields"} and error["message"] and error["fields"] == {}
    return error


def _log_after(log_path: Path, offset: int, needle: str) -> str:
    """gunicorn's log written since `offset`, once it holds `needle` (the worker logs after answering)."""
    deadline = time.monotonic() + 5
    while True:
        text = log_path.read_bytes()[offset:].decode("utf-8", "replace")
        if needle in text or time.monotonic() > deadline:
            return text
        time.sleep(0.05)


def test_an_over_long_request_line_is_414_in_our_error_shape_and_logged_as_a_warning(served):
    port, log_path = served
    offset = log_path.stat().st_size
    status, headers, body = _exchange(port, b"GET /api/v1/products?q=" + b"a" * 9000 + b" HTTP/1.1\r\n"
                                            b"Host: 127.0.0.1\r\n\r\n")
    assert status == 414
    assert _error_of(headers, body)["code"] == "request_line_too_long"
    log = _log_after(log_path, offset, "Invalid request from ip=127.0.0.1")
    assert "[WARNING] Invalid request from ip=127.0.0.1" in log
    assert "Logging error" not in log and "Traceback" not in log


def test_an_over_long_header_is_431_in_our_error_shape(served):
    port, log_path = served
    offset = log_path.stat().st_size
    status, headers, body = _exchange(port, b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                            b"Cookie: " + b"c" * 9000 + b"\r\n\r\n")
    assert status == 431
    assert _error_of(headers, body)["code"] == "headers_too_large"
    log = _log_after(log_path, offset, "Invalid request from ip=127.0.0.1")
    assert "[WARNING] Invalid request from ip=127.0.0.1" in log and "Logging error" not in log


def test_too_many_headers_are_431_in_our_error_shape(served):
    port, _ = served
    many = b"".join(b"X-Extra-%d: 1\r\n" % index for index in range(60))
    status, headers, body = _exchange(port, b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n" + many + b"\r\n")
    assert status == 431
    assert _error_of(headers, body)["code"] == "headers_too_large"


@pytest.mark.parametrize("raw", [b"GARBAGE\r\n\r\n", b"GET /healthz HTTP/9.9\r\nHost: x\r\n\r\n",
                                 b"GET /healthz HTTP/1.1\r\nBad Header Name: 1\r\n\r\n"])
def test_a_malformed_request_is_400_in_our_error_shape(served, raw):
    port, _ = served
    status, headers, body = _exchange(port, raw)
    assert status == 400
    assert _error_of(headers, body)["code"] == "bad_request"


def test_a_long_but_legitimate_request_line_and_cookie_reach_the_app(served):
    """A search with a 50-character Chinese keyword and a long share link, percent-encoded (over
    gunicorn's default 4094 bytes), with a console-sized cookie: answered by the app itself."""
    port, _ = served
    keyword = "".join(f"%{byte:02X}" for byte in ("优惠" * 25).encode())
    status, _, body = _exchange(port, f"GET /healthz?keyword={keyword}&link={'s' * 5000} HTTP/1.1\r\n"
                                      f"Host: 127.0.0.1\r\nConnection: close\r\n"
                                      f"Cookie: fenxiao_session={'x' * 4000}\r\n\r\n".encode())
    assert status == 200 and json.loads(body) == {"status": "ok"}

