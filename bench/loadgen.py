"""What every benchmark here shares: free loopback ports, a gunicorn started with the project's
gunicorn.conf.py, and a bounded keep-alive load generator."""

from __future__ import annotations

import contextlib
import http.client
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def gunicorn(app_path: str, port: int, env: dict, log_path: Path, workers: int, threads: int):
    """Serve `app_path` with the project's gunicorn.conf.py on 127.0.0.1:port; stop it afterwards."""
    env = {**env, "BIND": f"127.0.0.1:{port}", "WEB_CONCURRENCY": str(workers), "WEB_THREADS": str(threads)}
    with open(log_path, "ab") as log:
        process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", app_path],
                                   cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True)
    try:
        _wait_until_listening(port, process)
        yield
    finally:
        process.send_signal(signal.SIGTERM)  # the master stops its own workers
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _wait_until_listening(port: int, process: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return
        time.sleep(0.1)
    raise RuntimeError("gunicorn did not start listening in time")


def wait_until_answering(port: int, path: str, *, answers: int = 20, timeout: float = 120.0) -> None:
    """Until `answers` requests in a row, each on a new connection (so every worker takes some),
    are answered 200: gunicorn listens long before its workers have built the app."""
    deadline, streak = time.monotonic() + timeout, 0
    while streak < answers:
        if time.monotonic() > deadline:
            raise RuntimeError(f"127.0.0.1:{port}{path} did not answer 200 in time")
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            streak = streak + 1 if response.status == 200 else 0
        except (OSError, http.client.HTTPException):
            streak = 0
            time.sleep(0.1)
        finally:
            connection.close()


@dataclass(frozen=True)
class Call:
    """One request: GET a path, or POST a body to it (with `headers`, e.g. a shopper's token)."""

    path: str
    body: bytes | None = None
    content_type: str = "application/octet-stream"
    headers: tuple[tuple[str, str], ...] = ()


@dataclass
class Outcome:
    seconds: float = 0.0
    statuses: Counter = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    sample_bodies: list[bytes] = field(default_factory=list)  # the first few answers, for checking


def drive(port: int, calls: list[Call], concurrency: int, deadline: float) -> Outcome:
    """Make every call once over `concurrency` keep-alive connections, stopping at `deadline`."""
    queue, lock = iter(calls), threading.Lock()
    outcome = Outcome()

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.monotonic() < deadline:
            with lock:
                call = next(queue, None)
            if call is None:
                break
            started = time.perf_counter()
            try:
                if call.body is None:
                    connection.request("GET", call.path, headers=dict(call.headers))
                else:
                    connection.request("POST", call.path, body=call.body,
                                       headers={"Content-Type": call.content_type, **dict(call.headers)})
                response = connection.getresponse()
                body = response.read()
                outcome.latencies.append(time.perf_counter() - started)
                outcome.statuses[response.status] += 1
                if len(outcome.sample_bodies) < 3:
                    outcome.sample_bodies.append(body)
                if response.will_close:
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            except (OSError, http.client.HTTPException):
                outcome.statuses["error"] += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    outcome.seconds = time.perf_counter() - started
    return outcome


def p99_ms(latencies: list[float]) -> float:
    ordered = sorted(latencies)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000 if ordered else float("nan")
