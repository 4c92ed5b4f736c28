"""The storefront's product list and product detail under load, versus a bare Flask JSON endpoint.

Seeds 10,000 products (1–3 SKUs each, 10 top categories × 5 children, bulk inserts) into a
throwaway SQLite database (or the empty MySQL/MariaDB database given by --database-url),
then serves the real app and bench/bare_app.py under gunicorn with the same settings
(gunicorn.conf.py, --workers × --threads gthread) on free 127.0.0.1 ports. The load comes from
wrk (bench/wrk.py says why): it warms each endpoint, then alternates short rounds — bare, list,
detail (order rotating) — each at --concurrency keep-alive connections. List requests walk
pages, categories and sorts; detail requests random products. Prints req/s and p99 of each,
the median of the per-round ratios to the bare endpoint, and last `ratio=<x>`: the lower of the
list and detail ratios.

    .venv/bin/python bench/storefront.py [--round-seconds 2] [--concurrency 32] [--database-url URL]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import wrk  # noqa: E402
from bench.loadgen import free_port, gunicorn, wait_until_answering  # noqa: E402

PRODUCTS, TOPS, CHILDREN = 10_000, 10, 5


def prepare_instance(folder: str, database_url: str | None) -> dict:
    """Migrate, then bulk-insert the catalogue; returns ids the requests are drawn from."""
    os.environ.update(FENXIAO_INSTANCE_PATH=folder, WECHAT_SANDBOX="1")
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    from flask_migrate import upgrade
    from sqlalchemy import insert, select

    from app import create_app
    from app.catalog.models import Category, Product, Sku
    from app.core.models import utcnow
    from app.extensions import db

    app = create_app({"LOG_LEVEL": "WARNING"})
    started = time.perf_counter()
    with app.app_context():
        upgrade()
        if db.session.scalar(select(Product.id).limit(1)) is not None:
            raise SystemExit("the benchmark database must be empty")
        rng, now = random.Random(20261127), utcnow()
        stamp = {"created_at": now, "updated_at": now}
        db.session.execute(insert(Category), [
            {"id": top, "parent_id": None, "name": f"大类{top}", "sort": TOPS - top, **stamp}
            for top in range(1, TOPS + 1)])
        children = [TOPS + (top - 1) * CHILDREN + n for top in range(1, TOPS + 1) for n in range(1, CHILDREN + 1)]
        db.session.execute(insert(Category), [
            {"id": child, "parent_id": (child - TOPS - 1) // CHILDREN + 1, "name": f"小类{child}", "sort": 0, **stamp}
            for child in children])
        products, skus = [], []
        for product_id in range(1, PRODUCTS + 1):
            prices = [rng.randrange(990, 99_000, 10) for _ in range(rng.randint(1, 3))]
            products.append({
                "id": product_id, "category_id": rng.choice(children), "title": f"测试商品 {product_id} 号 精选好物",
                "subtitle": "包邮 顺丰直发 七天无理由", "cover_url": f"/media/bench/{product_id}.png",
                "image_urls": [f"/media/bench/{product_id}-{n}.png" for n in range(3)],
                "detail_html": "<p>商品详情</p>" * 5, "is_on_shelf": rng.random() < 0.95, "off_shelf_reason": "",
                "is_recommended": rng.random() < 0.02, "is_hot": rng.random() < 0.1, "is_new": rng.random() < 0.1,
                "sort": rng.randrange(0, 100), "virtual_sales": rng.randrange(0, 5000), "sales": rng.randrange(0, 500),
                "share_title": "", "share_image_url": "", "spec_matrix": [{"name": "规格", "values":
                                                                           [f"款{n}" for n in range(len(prices))]}],
                "stock_alert_threshold": 10, "min_price_fen": min(prices), **stamp})
            skus.extend({"product_id": product_id, "specs": {"规格": f"款{n}"}, "price_fen": price,
                         "original_price_fen": price + 1000, "cost_fen": price // 2, "stock": rng.randrange(0, 200),
                         "weight_g": 500, "code": f"B{product_id}-{n}", "image_url": "", **stamp}
                        for n, price in enumerate(prices))
        for start in range(0, len(products), 2000):
            db.session.execute(insert(Product), products[start:start + 2000])
        for start in range(0, len(skus), 5000):
            db.session.execute(insert(Sku), skus[start:start + 5000])
        db.session.commit()
        visible = [p["id"] for p in products if p["is_on_shelf"]]
        db.engine.dispose()
    print(f"seeded {PRODUCTS} products, {len(skus)} SKUs in {time.perf_counter() - started:.1f}s")
    return {"visible": visible, "tops": list(range(1, TOPS + 1)), "children": children}


def request_paths(ids: dict, count: int, seed: int) -> dict[str, list[str]]:
    """The request mix, built before timing: the list browses pages 1–5 of the whole shop and of
    categories in every sort; the detail asks for random products."""
    rng = random.Random(seed)
    sorts = ["default", "default", "sales", "price_asc", "price_desc", "newest"]
    lists = []
    for _ in range(count):
        query = f"sort={rng.choice(sorts)}&page={rng.randint(1, 5)}&size=20"
        if rng.random() < 0.5:
            query += f"&category_id={rng.choice(ids['tops'] + ids['children'])}"
        lists.append(f"/api/v1/products?{query}")
    return {"bare": ["/api/v1/bare"] * count, "list": lists,
            "detail": [f"/api/v1/products/{rng.choice(ids['visible'])}" for _ in range(count)]}


def measure(ports: dict[str, int], paths: dict[str, list[str]], args) -> dict[str, float]:
    """Warm each endpoint, then alternate rounds of `--round-seconds` per endpoint (the order
    rotating); the ratio is the median of the per-round ratios to the bare endpoint, and the
    p99 the median of the per-round p99s (every round's is printed), so one round disturbed by
    another process on the machine moves neither."""
    for name in ("bare", "list", "detail"):
        wait_until_answering(ports[name], paths[name][0])
    for name in ("bare", "list", "detail"):
        wrk.run(ports[name], paths[name], connections=args.concurrency, seconds=args.warmup_seconds)
    runs: dict[str, list[wrk.WrkRun]] = {name: [] for name in paths}
    ratios: dict[str, list[float]] = {"list": [], "detail": []}
    order = ["bare", "list", "detail"]
    for index in range(args.rounds):
        for name in order[index % 3:] + order[:index % 3]:
            runs[name].append(wrk.run(ports[name], paths[name], connections=args.concurrency,
                                      seconds=args.round_seconds))
        for name in ratios:
            bare = runs["bare"][-1].rate
            ratios[name].append(runs[name][-1].rate / bare if bare else 0.0)
    result = {}
    for name in order:
        done = sum(run.requests for run in runs[name])
        seconds = sum(run.seconds for run in runs[name])
        p99s = [run.p99_ms for run in runs[name]]
        failed = sum(run.failed for run in runs[name])
        line = (f"{name}: {done} requests in {seconds:.2f}s = {done / seconds:.0f} req/s  "
                f"p99={statistics.median(p99s):.1f}ms (per round: {' '.join(f'{p:.0f}' for p in p99s)})")
        if name in ratios:
            result[name] = statistics.median(ratios[name])
            line += f"  ratio={result[name]:.2f} (per round: {' '.join(f'{r:.2f}' for r in ratios[name])})"
        print(line + f"  failed={failed}")
        if failed:
            raise SystemExit(f"{name}: {failed} requests failed or were answered with 4xx/5xx")
        result[f"{name}_p99"] = statistics.median(p99s)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paths", type=int, default=3000, help="distinct request paths per endpoint")
    parser.add_argument("--round-seconds", type=int, default=2)
    parser.add_argument("--warmup-seconds", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=9, help="alternations between the endpoints")
    parser.add_argument("--database-url", help="an EMPTY MySQL/MariaDB database; default: a throwaway SQLite")
    parser.add_argument("--redis-url", help="a Redis (127.0.0.1) for the real app; default: in-process fakeredis")
    args = parser.parse_args()
    if not wrk.available():
        raise SystemExit("bench/storefront.py needs wrk (Debian's package; `make bench-storefront` installs it)")

    with tempfile.TemporaryDirectory(prefix="fenxiao-bench-") as folder:
        for name in ("DATABASE_URL", "REDIS_URL", "RQ_INLINE", "PUBLIC_BASE_URL"):
            os.environ.pop(name, None)
        if args.redis_url:
            os.environ.update(REDIS_URL=args.redis_url, RQ_INLINE="1")
        ids = prepare_instance(folder, args.database_url)
        paths = request_paths(ids, args.paths, seed=5)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO")}
        print(f"wrk: {args.rounds} alternating rounds of {args.round_seconds}s per endpoint, {args.concurrency} "
              f"keep-alive connections, gunicorn {args.workers} workers x {args.threads} threads (gthread), "
              f"127.0.0.1 only, database={'sqlite' if not args.database_url else 'mysql'}")
        app_port, bare_port = free_port(), free_port()
        logs = Path(folder)
        with gunicorn("wsgi:app", app_port, env, logs / "app.log", args.workers, args.threads), \
                gunicorn("bench.bare_app:app", bare_port, env, logs / "bare.log", args.workers, args.threads):
            result = measure({"bare": bare_port, "list": app_port, "detail": app_port}, paths, args)
    worst = min(result["list"], result["detail"])
    p99 = max(result["list_p99"], result["detail_p99"])
    print(f"target: ratio >= 0.5 and p99 <= 50 ms: {'met' if worst >= 0.5 and p99 <= 50 else 'NOT met'}")
    print(f"ratio={worst:.2f}")


if __name__ == "__main__":
    main()
