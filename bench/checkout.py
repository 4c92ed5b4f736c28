"""The checkout preview with promotions versus the same preview without any, in one run.

Seeds a throwaway SQLite database (or the empty MySQL/MariaDB database given by
--database-url) with a catalogue, a shipping template and one full-reduction activity
(满99减10 / 满199减30 / 满299减50包邮) covering half the products; serves the real app under
gunicorn (gunicorn.conf.py, --workers × --threads gthread) on a free 127.0.0.1 port; logs two
shoppers in (the sandbox's dev login) with an address each. The promotions shopper's cart is
products inside the activity and 3 coupons applicable to it (the preview weighs each and
takes the best); the other shopper's cart is products of the same prices outside it,
and no coupons. Both POST /api/v1/orders/preview with their lines, alternating short rounds at
--concurrency keep-alive connections (bench/loadgen.py). Prints each side's req/s and p99, the
median of the per-round ratios, and last `ratio=<x>` (promotions / none).

    .venv/bin/python bench/checkout.py [--round-seconds 3] [--concurrency 16] [--database-url URL]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.loadgen import Call, drive, free_port, gunicorn, p99_ms, wait_until_answering  # noqa: E402

PRODUCTS = 200  # half inside the activity, half outside, the same prices on both sides
CART = (3, 2, 1)  # quantities of the three lines in each cart


def _app():
    from app import create_app

    return create_app({"LOG_LEVEL": "WARNING"})


def prepare_instance(folder: str, database_url: str | None) -> dict:
    """Migrate, add the catalogue and the activity; returns the two carts' SKU ids."""
    os.environ.update(FENXIAO_INSTANCE_PATH=folder, WECHAT_SANDBOX="1")
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    from flask_migrate import upgrade
    from sqlalchemy import select

    from app.audit.services import SYSTEM
    from app.catalog.models import Category, Product, Sku
    from app.core.models import utcnow
    from app.extensions import db
    from app.marketing import full_reductions
    from app.shipping.seed import seed_shipping_templates

    app = _app()
    with app.app_context():
        upgrade()
        if db.session.scalar(select(Product.id).limit(1)) is not None:
            raise SystemExit("the benchmark database must be empty")
        template = seed_shipping_templates()["count"]
        category = Category(name="测试分类", parent_id=None, sort=0)
        db.session.add(category)
        db.session.flush()
        products = []
        for index in range(PRODUCTS):
            product = Product(category_id=category.id, title=f"测试商品 {index}", is_on_shelf=True,
                              shipping_template_id=template, spec_matrix=[{"name": "规格", "values": ["标准"]}])
            db.session.add(product)
            db.session.flush()
            db.session.add(Sku(product_id=product.id, specs={"规格": "标准"}, price_fen=3990 + (index // 2) * 10,
                               stock=1_000_000, weight_g=500))
            products.append(product)
        db.session.flush()
        inside = [product for index, product in enumerate(products) if index % 2 == 0]
        start = utcnow() - timedelta(hours=1)
        activity = full_reductions.create_activity(SYSTEM, {
            "name": "测速满减", "starts_at": start, "ends_at": start + timedelta(days=30), "is_enabled": True,
            "scope": "products", "scope_ids": [product.id for product in inside], "basis": "amount",
            "tiers": [{"threshold": 9900, "off_fen": 1000}, {"threshold": 19900, "off_fen": 3000},
                      {"threshold": 29900, "off_fen": 5000, "free_shipping": True}]})
        db.session.commit()
        sku_of = {sku.product_id: sku.id for sku in db.session.scalars(select(Sku))}
        promo = [sku_of[product.id] for product in inside[:len(CART)]]
        plain = [sku_of[product.id] for product in products[1:2 * len(CART):2]]
        result = {"promo": promo, "plain": plain, "activity_id": activity.id,
                  "inside": [product.id for product in inside]}
        db.engine.dispose()
    return result


def _post(port: int, path: str, body: dict, token: str | None = None) -> dict:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
    connection.request("POST", path, body=json.dumps(body).encode(), headers=headers)
    response = connection.getresponse()
    answer = json.loads(response.read() or b"{}")
    connection.close()
    if response.status >= 400:
        raise SystemExit(f"POST {path} answered {response.status}: {answer}")
    return answer


def log_in(port: int, name: str) -> tuple[int, str]:
    """A shopper through the sandbox's dev login, with a default address."""
    answer = _post(port, "/api/v1/auth/dev-login", {"name": name})
    token = answer["token"]
    _post(port, "/api/v1/addresses", {"receiver_name": "张三", "receiver_phone": "13800138000",
                                      "region_code": "440305", "detail": "科技园南区1号"}, token)
    return answer["user"]["id"], token


def give_coupons(user_id: int, product_ids: list[int], count: int = 3) -> int:
    """`count` coupons applicable to the promotions cart (amount off over ¥99, 9折 capped at ¥20,
    ¥5 with no threshold; the first two scoped to the activity's products, all stacking with it),
    given through the coupon domain as a merchant sends them."""
    from app.extensions import db
    from app.marketing.coupon_grants import grant
    from app.marketing.coupon_models import CouponSource, CouponTemplate

    kinds = ({"kind": "amount_off", "threshold_fen": 9900, "amount_fen": 800, "scope": "products",
              "product_ids": product_ids},
             {"kind": "rate_off", "rate_bp": 9000, "cap_fen": 2000, "scope": "products", "product_ids": product_ids},
             {"kind": "no_threshold", "amount_fen": 500, "scope": "all", "product_ids": []})
    with _app().app_context():
        for index, fields in enumerate(kinds[:count]):
            template = CouponTemplate(name=f"测速券{index}", issued=0, used=0, expired=0, revoked=0, validity="days",
                                      valid_days=30, category_ids=[], stacks_with_full_reduction=True, **fields)
            db.session.add(template)
            db.session.flush()
            grant(user_id, template.id, source=CouponSource.MERCHANT, ref=f"bench:{template.id}:{user_id}")
        db.session.commit()
        db.engine.dispose()
    return min(count, len(kinds))


def _calls(skus: list[int], token: str, count: int) -> list[Call]:
    body = json.dumps({"lines": [{"sku_id": sku, "quantity": quantity}
                                 for sku, quantity in zip(skus, CART, strict=True)]}).encode()
    return [Call("/api/v1/orders/preview", body, "application/json", (("Authorization", f"Bearer {token}"),))] * count


def check(port: int, skus: list[int], token: str, promotions: bool) -> dict:
    """One preview, to show (and check) what each side computes."""
    body = {"lines": [{"sku_id": sku, "quantity": quantity} for sku, quantity in zip(skus, CART, strict=True)]}
    answer = _post(port, "/api/v1/orders/preview", body, token)
    kinds = [discount["kind"] for discount in answer["discounts"]]
    usable = [coupon for coupon in answer["coupons"] if coupon["usable"]]
    if promotions != ("full_reduction" in kinds and "coupon" in kinds and len(usable) == 3):
        raise SystemExit(f"unexpected discounts on the {'promotions' if promotions else 'plain'} side: {kinds}")
    return answer


def measure(port: int, calls: dict[str, list[Call]], args) -> dict[str, float]:
    for name in calls:  # warm both
        drive(port, calls[name], args.concurrency, time.monotonic() + args.warmup_seconds)
    rates: dict[str, list[float]] = {name: [] for name in calls}
    latencies: dict[str, list[float]] = {name: [] for name in calls}
    ratios = []
    order = list(calls)
    for index in range(args.rounds):
        for name in order[index % 2:] + order[:index % 2]:
            outcome = drive(port, calls[name], args.concurrency, time.monotonic() + args.round_seconds)
            bad = sum(count for status, count in outcome.statuses.items() if status != 200)
            if bad:
                raise SystemExit(f"{name}: {bad} previews failed: {dict(outcome.statuses)}")
            rates[name].append(outcome.statuses[200] / outcome.seconds)
            latencies[name].extend(outcome.latencies)
        ratios.append(rates["promotions"][-1] / rates["none"][-1])
    for name in order:
        print(f"{name}: {statistics.median(rates[name]):.0f} req/s (per round: "
              f"{' '.join(f'{rate:.0f}' for rate in rates[name])})  p99={p99_ms(latencies[name]):.1f}ms")
    return {"ratio": statistics.median(ratios), "ratios": ratios}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--round-seconds", type=int, default=3)
    parser.add_argument("--warmup-seconds", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=6, help="alternations between the two previews")
    parser.add_argument("--database-url", help="an EMPTY MySQL/MariaDB database; default: a throwaway SQLite")
    parser.add_argument("--redis-url", help="a Redis (127.0.0.1) for the real app; default: in-process fakeredis")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="fenxiao-bench-") as folder:
        for name in ("DATABASE_URL", "REDIS_URL", "RQ_INLINE", "PUBLIC_BASE_URL"):
            os.environ.pop(name, None)
        if args.redis_url:
            os.environ.update(REDIS_URL=args.redis_url, RQ_INLINE="1")
        ids = prepare_instance(folder, args.database_url)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "LOG_LEVEL": os.environ.get("LOG_LEVEL", "WARNING")}
        port = free_port()
        with gunicorn("wsgi:app", port, env, Path(folder) / "app.log", args.workers, args.threads):
            wait_until_answering(port, "/api/v1/categories")
            promo_user, promo_token = log_in(port, "bench-promotions")
            _plain_user, plain_token = log_in(port, "bench-plain")
            coupons = give_coupons(promo_user, ids["inside"])
            print(f"promotions: one full-reduction activity (#{ids['activity_id']}) and {coupons} applicable coupons")
            promo = check(port, ids["promo"], promo_token, True)
            plain = check(port, ids["plain"], plain_token, False)
            print(f"preview with promotions: goods {promo['items_total_fen']} fen, discounts "
                  f"{[(d['kind'], d['amount_fen']) for d in promo['discounts']]}, payable {promo['payable_fen']}; "
                  f"without: goods {plain['items_total_fen']}, payable {plain['payable_fen']}")
            print(f"load: {args.rounds} alternating rounds of {args.round_seconds}s per side, {args.concurrency} "
                  f"keep-alive connections, gunicorn {args.workers} workers x {args.threads} threads (gthread), "
                  f"database={'sqlite' if not args.database_url else 'mysql'}")
            result = measure(port, {"none": _calls(ids["plain"], plain_token, 10**6),
                                    "promotions": _calls(ids["promo"], promo_token, 10**6)}, args)
    print(f"per-round ratios: {' '.join(f'{ratio:.2f}' for ratio in result['ratios'])}")
    print(f"target: ratio >= 0.7: {'met' if result['ratio'] >= 0.7 else 'NOT met'}")
    print(f"ratio={result['ratio']:.2f}")


if __name__ == "__main__":
    main()
