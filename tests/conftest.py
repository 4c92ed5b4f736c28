"""Fixtures in the style of Flask's tutorial: app, client, runner, plus factories.

The schema is built once per run by the real migrations; each test then starts from empty
tables and an empty Redis db, on SQLite + fakeredis or on MariaDB + Redis.
"""

from __future__ import annotations

import os
import tempfile

import pytest
from sqlalchemy import text

from tests import backends

_TMP = tempfile.mkdtemp(prefix="fenxiao-tests-")
os.environ["FENXIAO_INSTANCE_PATH"] = _TMP  # never the demo instance folder
for _name in ("DATABASE_URL", "REDIS_URL", "WECHAT_SANDBOX", "RQ_INLINE"):
    os.environ.pop(_name, None)


@pytest.fixture(scope="session")
def backend(worker_id):
    chosen = backends.create(_TMP, worker_id)
    yield chosen
    chosen.drop()


def make_config(backend, **overrides) -> dict:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-0123456789",
        "SQLALCHEMY_DATABASE_URI": backend.database_url,
        "REDIS_URL": backend.redis_url,
        "RQ_INLINE": True,
        "MEDIA_ROOT": os.path.join(_TMP, "media"),
        "WECHAT_SANDBOX": True,
    }
    config.update(overrides)
    return config


@pytest.fixture(scope="session")
def _schema(backend):
    from flask_migrate import upgrade

    from app import create_app

    app = create_app(make_config(backend))
    with app.app_context():
        upgrade()
        from app.extensions import db

        db.engine.dispose()


@pytest.fixture
def make_app(backend, _schema):
    """Build an app on the test backend; keyword arguments override its config."""
    from app.extensions import db

    apps = []

    def factory(**overrides):
        from app import create_app

        app = create_app(make_config(backend, **overrides))
        apps.append(app)
        return app

    yield factory
    for app in apps:
        with app.app_context():
            if app.config["SQLALCHEMY_DATABASE_URI"] == backend.database_url:
                _empty_tables(db)
            if app.config.get("REDIS_URL") == backend.redis_url and backend.redis_url:
                app.extensions["redis"].flushdb()
            db.engine.dispose()


def _empty_tables(db) -> None:
    session = db.session
    dialect = db.engine.dialect.name
    if dialect == "mysql":
        session.execute(text("SET FOREIGN_KEY_CHECKS = 0"))
    for table in reversed(db.metadata.sorted_tables):
        session.execute(table.delete())
    if dialect == "mysql":
        session.execute(text("SET FOREIGN_KEY_CHECKS = 1"))
    session.commit()


@pytest.fixture
def app(make_app):
    app = make_app()
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def login(client):
    """Log in a sandbox test user and return the Authorization header for them."""

    def do_login(name: str = "alice") -> dict[str, str]:
        response = client.post("/api/v1/auth/dev-login", json={"name": name})
        assert response.status_code == 200, response.get_json()
        return {"Authorization": f"Bearer {response.get_json()['token']}"}

    return do_login
