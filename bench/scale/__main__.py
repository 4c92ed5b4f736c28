"""`python -m bench.scale --database-url URL --size big|medium|small|tiny [--seed N] [--today YYYY-MM-DD]`

Creates the database if it does not exist, builds its schema with the project's migrations
(`flask db upgrade`), bulk-loads a generated shop and prints rows/s per table. The same seed
and day give the same shop. Sizes (shoppers / agents / orders): big 1M / 100k / 5M,
medium 200k / 20k / 1M, small 20k / 2k / 50k, tiny 400 / 40 / 1k (SQLite is fine for tiny).
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))


def _create_database(url: str) -> None:
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() not in {"mysql", "mariadb"}:
        return
    import pymysql

    connection = pymysql.connect(host=parsed.host or "127.0.0.1", port=parsed.port or 3306,
                                 user=parsed.username or "root", password=parsed.password or "", charset="utf8mb4")
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE IF NOT EXISTS `{parsed.database}` "
                       "CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    connection.close()


def main() -> None:
    from bench.scale.sizes import SIZES

    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__.splitlines()[2])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--size", choices=sorted(SIZES), default="tiny")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--today", type=date.fromisoformat, default=None,
                        help="the day the shop is seen on (default today, UTC)")
    arguments = parser.parse_args()
    os.environ.setdefault("FENXIAO_INSTANCE_PATH", str(ROOT / "instance"))
    _create_database(arguments.database_url)

    from flask_migrate import upgrade

    from app import create_app
    from app.config import normalise_database_url
    from bench.scale.build import NotEmpty, build

    app = create_app({"SQLALCHEMY_DATABASE_URI": normalise_database_url(arguments.database_url)})
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        try:
            report = build(app, arguments.size, seed=arguments.seed, today=arguments.today)
        except NotEmpty as exc:
            sys.exit(str(exc))
    print("\n".join(report.lines()))


if __name__ == "__main__":
    main()
