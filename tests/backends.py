"""Which database and Redis a test run uses, chosen by FENXIAO_TEST_BACKEND.

sqlite  — a throwaway SQLite file and an in-process fakeredis (always available).
mariadb — a throwaway database on TEST_DATABASE_URL and a Redis db on TEST_REDIS_URL.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass

import pymysql
import redis
from sqlalchemy.engine import make_url

DEFAULT_DATABASE_URL = "mysql+pymysql://root@127.0.0.1:3306/"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/15"


@dataclass
class Backend:
    name: str
    database_url: str
    redis_url: str | None
    _drop: str | None = None

    def drop(self) -> None:
        if self._drop:
            _mysql_admin(self._drop)


def _server_url() -> str:
    return os.environ.get("TEST_DATABASE_URL") or DEFAULT_DATABASE_URL


def _mysql_admin(sql: str) -> None:
    url = make_url(_server_url())
    connection = pymysql.connect(host=url.host or "127.0.0.1", port=url.port or 3306,
                                 user=url.username or "root", password=url.password or "",
                                 charset="utf8mb4", connect_timeout=5)
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
    finally:
        connection.close()


def reachable() -> dict[str, bool]:
    """Whether the MariaDB server and the Redis server are answering."""
    result = {}
    try:
        _mysql_admin("SELECT 1")
        result["mariadb"] = True
    except Exception:
        result["mariadb"] = False
    try:
        redis.Redis.from_url(os.environ.get("TEST_REDIS_URL") or DEFAULT_REDIS_URL,
                             socket_connect_timeout=3).ping()
        result["redis"] = True
    except Exception:
        result["redis"] = False
    return result


def create(tmp_dir: str, worker: str) -> Backend:
    name = os.environ.get("FENXIAO_TEST_BACKEND", "sqlite")
    if name == "sqlite":
        return Backend("sqlite", f"sqlite:///{tmp_dir}/test.db", None)
    if name != "mariadb":
        raise RuntimeError(f"unknown FENXIAO_TEST_BACKEND={name!r}")
    database = f"fenxiao_test_{worker}_{uuid.uuid4().hex[:8]}"
    _mysql_admin(f"CREATE DATABASE `{database}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
    server = make_url(_server_url())
    database_url = server.set(database=database).render_as_string(hide_password=False)
    redis_base = make_url(os.environ.get("TEST_REDIS_URL") or DEFAULT_REDIS_URL)
    worker_index = int(worker[2:]) if worker.startswith("gw") else 0
    redis_db = int(redis_base.database or 15) - worker_index  # one Redis db per xdist worker
    redis_url = redis_base.set(database=str(redis_db)).render_as_string(hide_password=False)
    return Backend("mariadb", database_url, redis_url, f"DROP DATABASE IF EXISTS `{database}`")


if __name__ == "__main__":  # `python -m tests.backends`: exit 0 iff MariaDB and Redis answer
    import sys

    status = reachable()
    print("reachable: " + ", ".join(f"{name}={'yes' if ok else 'no'}" for name, ok in status.items()))
    sys.exit(0 if all(status.values()) else 1)
