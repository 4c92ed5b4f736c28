"""Latency at scale: p50 / p95 of every console list (with its common filters, page 1 and a
deep page), the dashboard, every report and every agent-centre answer for the biggest agent.

Runs against a shop already built by the generator beside this script (`python -m bench.scale
--size big` builds 1M shoppers / 100k agents / 5M orders). The app is served as in production:
gunicorn with the project's gunicorn.conf.py (--workers processes of WEB_THREADS threads),
DATABASE_URL on the shop, REDIS_URL on a Redis db of the bench's own, jobs left to RQ (so no
scheduled job runs in the web processes and nothing but the logins below writes to the shop).
The bench logs in through the console's login form (with its own staff account, created or
given a fresh password through the app's staff functions) once per client, and asks the
agent-centre API with the biggest agent's token (the agent with the most commission lines).

Every answer is first checked and warmed (each client asks once), then asked --requests
times by --clients clients at once, one answer after another; every reply must be 200 and
show what the shop holds (the newest order's number, the agent's account...), else the
answer fails and the bench exits non-zero. Deep pages: each paged list's own pager is
followed to page --deep-page (`<a rel="next">` / `next_cursor`; `page=` where the list has no
keyset pager). Prints `answer | p50 ms | p95 ms | requests` and last `ratio=<worst p95 / 200 ms>`
(inf when an answer failed). Target: ratio <= 1.0.

    .venv/bin/python bench/scale.py --database-url mysql+pymysql://root@127.0.0.1:3306/fenxiao_big
        [--redis-url redis://127.0.0.1:6379/11] [--workers 4] [--clients 8] [--requests 40]
        [--warmup 1] [--deep-page 31] [--port 0] [--timeout 120] [--only TEXT]
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.latency import answers as catalogue  # noqa: E402
from bench.latency import facts as shop  # noqa: E402
from bench.latency import timing  # noqa: E402
from bench.latency.clients import Client, deep_page  # noqa: E402
from bench.loadgen import free_port, gunicorn, wait_until_answering  # noqa: E402

STAFF_USERNAME = "scalebench"
THREADS = 4  # gunicorn.conf.py's WEB_THREADS default
CLEARED = ("DATABASE_URL", "REDIS_URL", "RQ_INLINE", "PUBLIC_BASE_URL", "SECRET_KEY", "WECHAT_SANDBOX",
           "EMBEDDED_SCHEDULER", "FENXIAO_INSTANCE_PATH", "MEDIA_ROOT", "PRIVATE_MEDIA_ROOT")


def production_env(args, folder: str, base: str) -> dict[str, str]:
    """The environment of production mode on the shop, shared by the web processes and the
    bench (which mints the agent's token with the same SECRET_KEY)."""
    from app.config import normalise_database_url

    env = {name: value for name, value in os.environ.items() if name not in CLEARED}
    env.update(DATABASE_URL=normalise_database_url(args.database_url), REDIS_URL=args.redis_url, RQ_INLINE="0",
               EMBEDDED_SCHEDULER="0", SECRET_KEY=secrets.token_urlsafe(48), FENXIAO_INSTANCE_PATH=folder,
               WECHAT_SANDBOX="1", PUBLIC_BASE_URL=base, PYTHONPATH=str(ROOT),
               LOG_LEVEL=os.environ.get("LOG_LEVEL", "WARNING"))
    return env


def prepare(env: dict[str, str], staff_username: str):
    """Read the shop (facts), make sure of the bench's console account, mint the agent's token."""
    os.environ.update(env)
    from sqlalchemy import text

    from app import create_app
    from app.extensions import db

    app = create_app({"LOG_LEVEL": "WARNING"})
    with app.app_context():
        started = time.perf_counter()
        facts = shop.gather()
        password = shop.ensure_staff(staff_username)
        token = shop.agent_token(facts.agent_user_id)
        server = "n/a"
        if db.engine.dialect.name == "mysql":
            pool, redo, io = db.session.execute(text(
                "SELECT @@innodb_buffer_pool_size, @@innodb_log_file_size, @@innodb_io_capacity")).one()
            server = f"{int(pool) // 2**20} MB, innodb_log_file_size={int(redo) // 2**20} MB, innodb_io_capacity={io}"
        db.session.rollback()
        reports = catalogue.report_paths(app)
        db.engine.dispose()
    timings = " ".join(f"{name}={seconds:.1f}s" for name, seconds in facts.seconds.items())
    print(f"shop: biggest agent #{facts.agent_user_id} ({facts.agent_lines:,} commission lines), common name "
          f"{facts.common_name}, newest order {facts.newest_order_no}; innodb_buffer_pool_size="
          f"{server}; read in {time.perf_counter() - started:.1f}s "
          f"({timings})", flush=True)
    return facts, password, token, reports


def with_deep_pages(answers: list, client: Client, number: int) -> list:
    """Each paged list followed by its deep page (an already failed Result when the list's
    pager could not be followed)."""
    out = []
    for answer in answers:
        out.append(answer)
        if not answer.pager or number <= 1:
            continue
        started = time.perf_counter()
        try:
            found = deep_page(client, answer, number)
        except RuntimeError as exc:
            out.append(timing.Result(answer.deep(answer.path, number), failure=str(exc)))
            continue
        if found:
            path, reached = found
            out.append(answer.deep(path, reached))
            print(f"  {answer.name}: page {reached} reached in {time.perf_counter() - started:.1f}s", flush=True)
    return out


def measure(answers: list, clients: list[Client], args) -> list[timing.Result]:
    """Each answer warmed and checked (every client asks once), then timed."""
    results = []
    for answer in answers:
        if isinstance(answer, timing.Result):  # failed already
            results.append(answer)
            continue
        result = timing.run(answer, clients, len(clients) * args.warmup) if args.warmup else timing.Result(answer)
        if not result.failure:
            result = timing.run(answer, clients, args.requests)
        results.append(result)
        state = f"FAILED: {result.failure}" if result.failure else f"p50={result.p50_ms:.0f} p95={result.p95_ms:.0f}"
        print(f"  {answer.name}: {state}", file=sys.stderr, flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", required=True, help="the built shop (python -m bench.scale)")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/11", help="a Redis db for the bench's server")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=THREADS, help="threads per worker (WEB_THREADS)")
    parser.add_argument("--clients", type=int, default=8, help="concurrent clients")
    parser.add_argument("--requests", type=int, default=40, help="timed requests per answer")
    parser.add_argument("--warmup", type=int, default=1, help="untimed requests per client per answer first")
    parser.add_argument("--deep-page", type=int, default=31, help="the deep page timed for each paged list")
    parser.add_argument("--port", type=int, default=0, help="where to serve (0: a free port)")
    parser.add_argument("--timeout", type=float, default=120, help="seconds a client waits for an answer")
    parser.add_argument("--staff", default=STAFF_USERNAME, help="the bench's console account")
    parser.add_argument("--only", default="", help="time only the answers whose name contains this")
    args = parser.parse_args()

    port = args.port or free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="fenxiao-scale-bench-") as folder:
        env = production_env(args, folder, base)
        facts, password, token, reports = prepare(env, args.staff)
        answers = [answer for answer in catalogue.every_answer(facts, reports) if args.only in answer.name]
        log = Path(folder) / "gunicorn.log"
        print(f"gunicorn {args.workers} workers x {args.threads} threads (gthread), production mode; "
              f"{args.clients} clients; {args.requests} timed requests per answer after {args.warmup} per client "
              f"to warm up; deep page {args.deep_page}", flush=True)
        with gunicorn("wsgi:app", port, env, log, args.workers, args.threads):
            wait_until_answering(port, "/readyz", answers=2 * args.workers)
            clients = [Client(base, token, args.timeout) for _ in range(args.clients)]
            with ThreadPoolExecutor(len(clients)) as pool:
                list(pool.map(lambda client: client.log_in(args.staff, password), clients))
            results = measure(with_deep_pages(answers, clients[0], args.deep_page), clients, args)
            for client in clients:
                client.close()
        print("\n".join(timing.table(results)))
        failures = [result for result in results if result.failure]
        if failures:
            print(f"{len(failures)} answers failed; the server's log ends:", file=sys.stderr)
            print("\n".join(log.read_text(errors="replace").splitlines()[-30:]), file=sys.stderr)
    print(f"ratio={timing.ratio(results):.2f}")
    if failures:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
