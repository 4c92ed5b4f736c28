"""Load from wrk, a C load generator, for the benchmarks that report latency.

Our own Python load generator (bench/loadgen.py) spends as much CPU as the server it
measures and, with 32 client threads fighting for one GIL, adds its own queueing to every
latency: at 32 connections its p99 was mostly the client's. wrk drives the same keep-alive
connections from two event-loop threads in C, so the p99 it prints is the server's.
`make bench` installs it (Debian's package `wrk`).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

SCRIPT = """
paths = {%(paths)s}
local counter = 0

function setup(thread)
  thread:set("offset", counter * %(stride)d)
  counter = counter + 1
end

function init(args)
  position = offset
end

function request()
  position = position %% #paths + 1
  return wrk.format("GET", paths[position])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRK {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p99_us": %%d, "max_us": %%d, ' ..
    '"errors": {"connect": %%d, "read": %%d, "write": %%d, "status": %%d, "timeout": %%d}}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), latency.max,
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


@dataclass(frozen=True)
class WrkRun:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: dict[str, int]

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def failed(self) -> int:
        """Requests that got no answer or an answer of 400 and above (wrk counts those)."""
        return sum(self.errors.values())


def available() -> bool:
    return shutil.which("wrk") is not None


def run(port: int, paths: list[str], *, connections: int, seconds: int, threads: int = 2) -> WrkRun:
    """GET `paths` in turn (each wrk thread starting elsewhere in the list) over `connections`
    keep-alive connections for `seconds`."""
    stride = max(1, len(paths) // threads)
    script = SCRIPT % {"paths": ",".join(json.dumps(path) for path in paths), "stride": stride}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script)
    try:
        completed = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{int(seconds)}s", "--timeout", "10s", "-s", handle.name,
             f"http://127.0.0.1:{port}"], capture_output=True, text=True, timeout=seconds + 60, check=True)
    finally:
        Path(handle.name).unlink()
    line = next(line for line in completed.stdout.splitlines() if line.startswith("WRK "))
    result = json.loads(line[4:])
    return WrkRun(result["requests"], result["duration_us"] / 1e6, result["p50_us"] / 1000,
                  result["p99_us"] / 1000, result["errors"])
