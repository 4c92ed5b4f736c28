"""Extensions, created unbound and bound to an app in create_app()."""

from __future__ import annotations

import fakeredis
import redis
from flask import Flask, current_app
from flask_babel import Babel
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from rq import Queue
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase
from werkzeug.local import LocalProxy

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

QUEUE_NAMES = ("default", "money", "notify", "media")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
babel = Babel()


class RedisExtension:
    """A real Redis client from REDIS_URL, or an in-process fakeredis (with Lua) without it."""

    def init_app(self, app: Flask) -> None:
        url = app.config.get("REDIS_URL")
        if url:
            client = redis.Redis.from_url(url)
        else:
            client = fakeredis.FakeRedis(server=fakeredis.FakeServer())
        app.extensions["redis"] = client

    @staticmethod
    def client() -> redis.Redis:
        return current_app.extensions["redis"]


class QueueExtension:
    """Named RQ queues; inline (synchronous) when RQ_INLINE is set."""

    def init_app(self, app: Flask) -> None:
        connection = app.extensions["redis"]
        is_async = not app.config.get("RQ_INLINE", False)
        app.extensions["rq_queues"] = {
            name: Queue(name, connection=connection, is_async=is_async) for name in QUEUE_NAMES
        }

    @staticmethod
    def get(name: str = "default") -> Queue:
        return current_app.extensions["rq_queues"][name]


redis_ext = RedisExtension()
queues = QueueExtension()
redis_client: redis.Redis = LocalProxy(RedisExtension.client)  # type: ignore[assignment]
