"""CPU time per request of the storefront list, detail and the bare endpoint, in process.

Wall-clock rates need a quiet machine; CPU time per request does not. This seeds the same
catalogue as bench/storefront.py, then calls each WSGI app directly (no server, no test
client) with the same request mix and reports the process CPU microseconds per request:
"first" over one pass of the mix (what is not yet rendered is rendered, as in the bench),
"again" over the same requests repeated (every answer already rendered, best of --repeat);
the three endpoints take turns in short chunks, and the per-chunk CPU ratios are reported too.
`--profile list|detail|bare` prints a cProfile of the first pass of that endpoint instead.

    .venv/bin/python bench/cpu_per_request.py [--requests 2000] [--profile list]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.storefront import prepare_instance, request_paths  # noqa: E402


def _environ(path: str) -> dict:
    from werkzeug.test import EnvironBuilder

    builder = EnvironBuilder(path=path, base_url="http://127.0.0.1:5000")
    try:
        return builder.get_environ()
    finally:
        builder.close()


def _call(app, environ: dict) -> int:
    status = []

    def start_response(line, headers, exc_info=None):
        status.append(int(line[:3]))

    body = app(dict(environ), start_response)
    try:
        for _chunk in body:
            pass
    finally:
        if hasattr(body, "close"):
            body.close()
    return status[0]


def run(app, environs: list[dict]) -> float:
    """CPU microseconds per request (every answer must be 200)."""
    started = time.process_time()
    for environ in environs:
        status = _call(app, environ)
        if status != 200:
            raise SystemExit(f"{environ['PATH_INFO']}?{environ['QUERY_STRING']}: {status}")
    return (time.process_time() - started) / len(environs) * 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3, help="passes again, reporting the best")
    parser.add_argument("--rounds", type=int, default=10, help="interleaved chunks per pass")
    parser.add_argument("--profile", choices=("list", "detail", "bare"))
    parser.add_argument("--sort", default="cumulative", help="the profile's order: cumulative, tottime, ...")
    parser.add_argument("--log-level", default="INFO", help="the app's LOG_LEVEL (the bench serves with INFO)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="fenxiao-cpu-") as folder:
        for name in ("DATABASE_URL", "REDIS_URL", "RQ_INLINE", "PUBLIC_BASE_URL"):
            os.environ.pop(name, None)
        ids = prepare_instance(folder, None)
        paths = request_paths(ids, args.requests, seed=5)
        warmup_paths = request_paths(ids, 200, seed=6)
        from app import create_app
        from bench.bare_app import app as bare

        os.environ["LOG_LEVEL"] = args.log_level
        apps = {"bare": bare, "list": create_app(), "detail": None}
        apps["detail"] = apps["list"]
        # The access log goes to stderr under gunicorn; here it would only flood the terminal.
        devnull = open(os.devnull, "w")  # noqa: SIM115
        import logging

        for handler in logging.getLogger().handlers:
            if isinstance(handler, logging.StreamHandler):
                handler.setStream(devnull)
        environs = {name: [_environ(path) for path in items] for name, items in paths.items()}
        for name, items in warmup_paths.items():  # compiled statements, imports, the category tree
            run(apps[name], [_environ(path) for path in items])
        if args.profile:
            profiler = cProfile.Profile()
            profiler.enable()
            run(apps[args.profile], environs[args.profile])
            profiler.disable()
            out = io.StringIO()
            stats = pstats.Stats(profiler, stream=out).sort_stats(args.sort)
            stats.print_stats(60)
            print(out.getvalue())
            return
        for label, passes in (("first", 1), ("again", args.repeat)):
            report(label, [run_rounds(apps, environs, args.rounds) for _ in range(passes)])


def run_rounds(apps: dict, environs: dict, rounds: int) -> dict[str, list[float]]:
    """One pass over every endpoint's requests, in `rounds` interleaved chunks, so that a
    busy machine slows all three alike; µs per request of each chunk."""
    size = -(-len(environs["bare"]) // rounds)
    chunks: dict[str, list[float]] = {name: [] for name in environs}
    for index in range(rounds):
        for name in ("bare", "list", "detail"):
            chunks[name].append(run(apps[name], environs[name][index * size:(index + 1) * size]))
    return chunks


def report(label: str, passes: list[dict[str, list[float]]]) -> None:
    """Per endpoint the median chunk of the best pass, and the median per-chunk ratio of the
    bare endpoint's CPU to it (the share of the bare endpoint's rate a CPU-bound server keeps)."""
    best = min(passes, key=lambda chunks: statistics.median(chunks["list"]) + statistics.median(chunks["detail"]))
    line = [f"{label}:"]
    for name in ("bare", "list", "detail"):
        line.append(f"{name} {statistics.median(best[name]):.0f} µs")
        if name != "bare":
            ratio = statistics.median(bare / cost for bare, cost in zip(best["bare"], best[name], strict=True))
            line[-1] += f" (bare/{name} {ratio:.2f})"
    print("  ".join(line))

if __name__ == "__main__":
    main()
