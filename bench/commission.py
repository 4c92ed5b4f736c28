"""Commission accrual: our service against the same writes in plain SQL, on SQLite and MariaDB.

Builds a 3-level referral tree (--shoppers shoppers: 1% top agents, 10% agents under them,
the rest shoppers under those) and 2 × --orders paid orders of 1–2 items by the shoppers.
Then, alternating rounds: our `accrual.accrue(order_id)` on one half, committing once per
order as the order.paid job does; and on the other half the same rows — a commission line
per item per level, a ledger entry per paying line, the agents' account updates and their day,
week and month rollups — written
with plain SQL after the same reads (order lock, whether it has lines already, items, the
chain in one join, agents), one transaction per order. Prints orders/s of each and the ratio
(our time / plain SQL time) per backend and, last, `ratio=<x>`: the worst of them. Target:
ratio ≤ 2.0 on each.

Each backend runs in a process of its own: a throwaway SQLite file always; MariaDB in the
empty database --database-url names, or else in a throwaway database created (and dropped
afterwards) on --mariadb-server when that server answers.

    .venv/bin/python bench/commission.py [--shoppers 200000] [--orders 20000] [--rounds 4]
                                         [--database-url URL | --mariadb-server URL | --sqlite-only]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RATES = (1000, 500, 200)


def prepare(app, shoppers: int, orders: int) -> tuple[list[int], list[int]]:
    from flask_migrate import upgrade
    from sqlalchemy import insert, select

    from app.accounts.models import User
    from app.catalog.models import Category, Product, Sku
    from app.core.models import utcnow
    from app.distribution.agent_models import Agent, ReferralBinding
    from app.distribution.settings import SETTINGS_ID
    from app.distribution.settings_models import DistributionSettings
    from app.extensions import db
    from app.orders.models import Order, OrderItem

    started = time.perf_counter()
    upgrade()
    if db.session.scalar(select(User.id).limit(1)) is not None:
        raise SystemExit("the benchmark database must be empty")
    rng, now = random.Random(20261127), utcnow()
    stamp = {"created_at": now, "updated_at": now}
    tops, mids = max(1, shoppers // 100), max(1, shoppers // 10)
    for start in range(1, shoppers + 1, 5000):
        db.session.execute(insert(User), [{"id": n, "nickname": f"b{n}", "is_test": True, "token_version": 0,
                                           "is_disabled": False, **stamp}
                                          for n in range(start, min(start + 5000, shoppers + 1))])
    agents = [{"user_id": n, "status": "active", "invite_code": f"B{n:07d}"[-8:], "became_at": now, "how": "auto",
               **stamp} for n in range(1, tops + mids + 1)]
    for start in range(0, len(agents), 5000):
        db.session.execute(insert(Agent), agents[start:start + 5000])
    bindings = [{"user_id": n, "referrer_user_id": rng.randint(1, tops) if n <= tops + mids
                 else rng.randint(tops + 1, tops + mids), "source": "link", "bound_at": now}
                for n in range(tops + 1, shoppers + 1)]
    for start in range(0, len(bindings), 5000):
        db.session.execute(insert(ReferralBinding), bindings[start:start + 5000])
    db.session.add(DistributionSettings(id=SETTINGS_ID, levels=3, rate1_bp=RATES[0], rate2_bp=RATES[1],
                                        rate3_bp=RATES[2]))
    db.session.execute(insert(Category), [{"id": 1, "name": "bench", **stamp}])
    db.session.execute(insert(Product), [{"id": n, "category_id": 1, "title": f"商品{n}", "spec_matrix": [],
                                          "min_price_fen": 1990 + n, **stamp} for n in range(1, 51)])
    db.session.execute(insert(Sku), [{"id": n, "product_id": n, "specs": {}, "price_fen": 1990 + n,
                                      "cost_fen": 900, "stock": 10**6, **stamp} for n in range(1, 51)])
    order_rows, item_rows = [], []
    for order_id in range(1, 2 * orders + 1):
        lines = [(rng.randint(1, 50), rng.randint(1, 3)) for _ in range(rng.randint(1, 2))]
        total = sum((1990 + sku) * quantity for sku, quantity in lines)
        order_rows.append({"id": order_id, "order_no": f"B{order_id:012d}", "user_id": rng.randint(tops + mids + 1,
                                                                                                     shoppers),
                           "idempotency_key": f"b{order_id}", "status": "paid", "pay_method": "wechat",
                           "items_total_fen": total, "freight_fen": 0, "discount_fen": 0, "discounts": [],
                           "payable_fen": total, "paid_fen": total, "refunded_fen": 0,
                           "total_quantity": sum(q for _s, q in lines), "receiver_name": "张三",
                           "receiver_phone": "13800138000", "region_code": "440305", "region_text": "广东 深圳 南山",
                           "address_detail": "科技园", "pay_deadline": now, "paid_at": now, **stamp})
        item_rows.extend({"order_id": order_id, "product_id": sku, "sku_id": sku, "title": f"商品{sku}",
                          "unit_price_fen": 1990 + sku, "unit_cost_fen": 900, "quantity": quantity,
                          "line_total_fen": (1990 + sku) * quantity, "discount_fen": 0,
                          "paid_fen": (1990 + sku) * quantity, **stamp} for sku, quantity in lines)
    for start in range(0, len(order_rows), 2000):
        db.session.execute(insert(Order), order_rows[start:start + 2000])
    for start in range(0, len(item_rows), 4000):
        db.session.execute(insert(OrderItem), item_rows[start:start + 4000])
    db.session.commit()
    print(f"seeded {shoppers} shoppers ({tops + mids} agents), {2 * orders} paid orders "
          f"in {time.perf_counter() - started:.1f}s", flush=True)
    ids = list(range(1, 2 * orders + 1))
    return ids[0::2], ids[1::2]


def ours(order_ids: list[int]) -> float:
    from app.distribution import accrual
    from app.extensions import db

    started = time.perf_counter()
    for order_id in order_ids:
        accrual.accrue(order_id)
        db.session.commit()
    return time.perf_counter() - started


def plain(connection_factory, dialect: str, order_ids: list[int]) -> float:
    """The same rows by hand: the reads accrual needs, then the inserts, account updates and
    the agents' day, week and month rollups."""
    upsert = ("INSERT INTO agent_accounts (user_id, pending_fen, frozen_fen, available_fen, withdrawing_fen, "
              "withdrawn_fen, updated_at) VALUES (%s, %s, 0, 0, 0, 0, NOW()) ON DUPLICATE KEY UPDATE "
              "pending_fen = pending_fen + VALUES(pending_fen), updated_at = NOW()") if dialect == "mysql" else (
        "INSERT INTO agent_accounts (user_id, pending_fen, frozen_fen, available_fen, withdrawing_fen, "
        "withdrawn_fen, updated_at) VALUES (?, ?, 0, 0, 0, 0, CURRENT_TIMESTAMP) ON CONFLICT (user_id) DO UPDATE "
        "SET pending_fen = pending_fen + excluded.pending_fen, updated_at = CURRENT_TIMESTAMP")
    mark = "%s" if dialect == "mysql" else "?"
    lock = " FOR UPDATE" if dialect == "mysql" else ""
    figures = "accrued_fen, cancelled_fen, clawed_back_fen, pending_fen, frozen_fen, available_fen, net_fen, invites"
    roll_up = (f"INSERT INTO agent_rollups (user_id, span, start_day, {figures}) VALUES "
               f"({', '.join([mark] * 4)}, 0, 0, {mark}, 0, 0, {mark}, 0) " + (
                   "ON DUPLICATE KEY UPDATE accrued_fen = accrued_fen + VALUES(accrued_fen), "
                   "pending_fen = pending_fen + VALUES(pending_fen), net_fen = net_fen + VALUES(net_fen)"
                   if dialect == "mysql" else
                   "ON CONFLICT (user_id, span, start_day) DO UPDATE SET "
                   "accrued_fen = accrued_fen + excluded.accrued_fen, "
                   "pending_fen = pending_fen + excluded.pending_fen, net_fen = net_fen + excluded.net_fen"))
    connection = connection_factory()
    cursor = connection.cursor()
    started = time.perf_counter()
    for order_id in order_ids:
        cursor.execute(f"SELECT user_id FROM orders WHERE id = {mark}{lock}", (order_id,))
        (buyer,) = cursor.fetchone()
        cursor.execute(f"SELECT id FROM commission_lines WHERE order_id = {mark} LIMIT 1{lock}", (order_id,))
        if cursor.fetchone() is not None:
            raise SystemExit(f"order {order_id} has commission lines already")
        cursor.execute(f"SELECT id, paid_fen FROM order_items WHERE order_id = {mark}", (order_id,))
        items = cursor.fetchall()
        cursor.execute("SELECT b1.referrer_user_id, b2.referrer_user_id, b3.referrer_user_id FROM referral_bindings b1 "
                       "LEFT JOIN referral_bindings b2 ON b2.user_id = b1.referrer_user_id "
                       "LEFT JOIN referral_bindings b3 ON b3.user_id = b2.referrer_user_id "
                       f"WHERE b1.user_id = {mark}", (buyer,))
        chain = list(cursor.fetchone() or (None, None, None))
        known = [user for user in chain if user]
        active = set()
        if known:
            cursor.execute(f"SELECT user_id FROM agents WHERE status = 'active' AND user_id IN "
                           f"({', '.join([mark] * len(known))})", known)
            active = {row[0] for row in cursor.fetchall()}
        owed: dict[int, int] = {}
        for item_id, paid in items:
            for level, user in enumerate(chain, start=1):
                amount = paid * RATES[level - 1] // 10_000 if user in active else 0
                cursor.execute(
                    "INSERT INTO commission_lines (order_id, order_item_id, level, beneficiary_user_id, rule, "
                    "base_fen, rate_bp, amount_fen, cancelled_fen, clawed_back_fen, status, reason, created_at, "
                    f"updated_at) VALUES ({', '.join([mark] * 12)}, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
                    (order_id, item_id, level, user, "global" if amount else "", paid, RATES[level - 1] if amount
                     else None, amount, 0, 0, "pending" if amount else "none", "" if amount else "not_an_agent"))
                if amount:
                    cursor.execute(
                        "INSERT INTO commission_entries (`key`, agent_user_id, line_id, kind, ref, pending_fen, "
                        "frozen_fen, available_fen, withdrawing_fen, withdrawn_fen, created_at) VALUES "
                        f"({', '.join([mark] * 6)}, 0, 0, 0, 0, CURRENT_TIMESTAMP)".replace(
                            "`key`", "`key`" if dialect == "mysql" else '"key"'),
                        (f"plain:{cursor.lastrowid}:{order_id}", user, cursor.lastrowid, "accrue", str(order_id),
                         amount))
                    owed[user] = owed.get(user, 0) + amount
        for user, amount in sorted(owed.items()):
            cursor.execute(upsert, (user, amount))
        day = (datetime.now(UTC) + timedelta(hours=8)).date()  # the agents' rollups of the Beijing day
        starts = (("day", day), ("month", day.replace(day=1)), ("week", day - timedelta(days=day.weekday())))
        cursor.executemany(roll_up, [(user, span, start.isoformat(), amount, amount, amount)
                                     for user, amount in sorted(owed.items()) for span, start in starts])
        connection.commit()
    return time.perf_counter() - started


def run_one(database_url: str | None, shoppers: int, orders: int, rounds: int) -> None:
    """One backend, in this process: seed, alternate the two sides, print both rates and the ratio."""
    folder = tempfile.mkdtemp(prefix="fenxiao-bench-commission-")
    try:
        _run_in(folder, database_url, shoppers, orders, rounds)
    finally:
        shutil.rmtree(folder, ignore_errors=True)  # the SQLite file is ~100 MB at the default size


def _run_in(folder: str, database_url: str | None, shoppers: int, orders: int, rounds: int) -> None:
    os.environ.update(FENXIAO_INSTANCE_PATH=folder, WECHAT_SANDBOX="1")
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    from app import create_app
    from app.extensions import db

    # Both sides keep their connection between transactions: no pool ping or reset per order.
    app = create_app({"LOG_LEVEL": "WARNING", "SQLALCHEMY_ENGINE_OPTIONS": {
        "pool_pre_ping": False, "pool_reset_on_return": None}})
    with app.app_context():
        mine, theirs = prepare(app, shoppers, orders)
        dialect = db.engine.dialect.name

        def raw_connection():
            return db.engine.raw_connection()

        ours_seconds = plain_seconds = 0.0
        size = -(-len(mine) // rounds)
        for index in range(rounds):
            chunk = slice(index * size, (index + 1) * size)
            ours_seconds += ours(mine[chunk])
            plain_seconds += plain(raw_connection, dialect, theirs[chunk])
    print(f"ours:  {len(mine) / ours_seconds:8.1f} orders/s")
    print(f"plain: {len(theirs) / plain_seconds:8.1f} orders/s")
    print(f"ratio={ours_seconds / plain_seconds:.2f}", flush=True)


def throwaway_mariadb(server: str) -> str | None:
    """A new empty database on the server (its URL), or None when the server does not answer."""
    import pymysql
    from sqlalchemy.engine import make_url

    url = make_url(server)
    try:
        connection = pymysql.connect(host=url.host or "127.0.0.1", port=url.port or 3306, user=url.username or "root",
                                     password=url.password or "", charset="utf8mb4", connect_timeout=3)
    except pymysql.err.OperationalError as exc:
        print(f"mariadb: skipped, {server} does not answer ({exc.args[-1]})", flush=True)
        return None
    name = f"fenxiao_bench_commission_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    connection.close()
    return url.set(database=name).render_as_string(hide_password=False)


def drop_mariadb(database_url: str) -> None:
    import pymysql
    from sqlalchemy.engine import make_url

    url = make_url(database_url)
    connection = pymysql.connect(host=url.host or "127.0.0.1", port=url.port or 3306, user=url.username or "root",
                                 password=url.password or "", charset="utf8mb4")
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS `{url.database}`")
    connection.close()


def run_child(name: str, database_url: str | None, args: argparse.Namespace) -> float | None:
    """The backend in a fresh process (its own app, engine and settings), its lines prefixed
    with the backend's name; returns its ratio (None when it failed)."""
    command = [sys.executable, __file__, "--shoppers", str(args.shoppers), "--orders", str(args.orders),
               "--rounds", str(args.rounds), "--one", database_url or "sqlite"]
    ratio = None
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as child:
        for line in child.stdout:
            line = line.rstrip("\n")
            if line.startswith("ratio="):
                ratio = float(line.removeprefix("ratio="))
                line = f"ratio {ratio:.2f}"
            print(f"{name}: {line}", flush=True)
    if child.returncode != 0:
        print(f"{name}: failed (exit {child.returncode})", flush=True)
        return None
    return ratio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--shoppers", type=int, default=200_000)
    parser.add_argument("--orders", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--database-url", default=None, help="an empty MySQL/MariaDB database to use")
    parser.add_argument("--mariadb-server", default="mysql+pymysql://root@127.0.0.1:3306/",
                        help="where to create a throwaway database when --database-url is not given")
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--one", default=None, help=argparse.SUPPRESS)  # a child: this backend only
    args = parser.parse_args()
    if args.one:
        run_one(None if args.one == "sqlite" else args.one, args.shoppers, args.orders, args.rounds)
        return
    ratios = {"sqlite": run_child("sqlite", None, args)}
    if args.database_url:
        ratios["mariadb"] = run_child("mariadb", args.database_url, args)
    elif not args.sqlite_only:
        database_url = throwaway_mariadb(args.mariadb_server)
        if database_url:
            try:
                ratios["mariadb"] = run_child("mariadb", database_url, args)
            finally:
                drop_mariadb(database_url)
    if any(ratio is None for ratio in ratios.values()):
        raise SystemExit(1)
    print(f"ratio={max(ratios.values()):.2f}")


if __name__ == "__main__":
    main()
