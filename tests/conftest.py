"""Fixtures in the style of Flask's tutorial: app, client, runner, plus factories.

The schema is built once per run by the real migrations; each test then starts from empty
tables and an empty Redis db, on SQLite + fakeredis or on MariaDB + Redis.
"""

from __future__ import annotations

import os
import socket
import tempfile
import threading

import pytest
from flask.testing import FlaskClient
from sqlalchemy import text

from tests import backends

pytest_plugins = ["tests.s3_helpers"]  # the S3 server fixtures of the object-store media tests

_TMP = tempfile.mkdtemp(prefix="fenxiao-tests-")
os.environ["FENXIAO_INSTANCE_PATH"] = _TMP  # never the demo instance folder
for _name in ("DATABASE_URL", "REDIS_URL", "WECHAT_SANDBOX", "RQ_INLINE"):
    os.environ.pop(_name, None)


class IsolatedClient(FlaskClient):
    """Each request gets its own app context (its own `g` and database session), as it
    would in production, even while the test holds an app context of its own. The test's
    session commits around each request, so the request sees what the test wrote and the
    test's next query sees what the request wrote (MariaDB's snapshot would hide it)."""

    def open(self, *args, **kwargs):
        from flask import has_app_context

        from app.extensions import db

        outer = db.session() if has_app_context() else None
        if outer is not None:
            outer.commit()
        try:
            with self.application.app_context():
                return super().open(*args, **kwargs)
        finally:
            if outer is not None:
                outer.commit()


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
        app.test_client_class = IsolatedClient
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


class LiveServer:
    """The app served over real HTTP on a free local port, so outbound WeChat calls (which
    the sandbox answers) and sandbox notifications (which the app receives) cross a socket."""

    def __init__(self, app, port: int) -> None:
        from werkzeug.serving import make_server

        self.app = app
        self.url = f"http://127.0.0.1:{port}"
        self._server = make_server("127.0.0.1", port, app, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> LiveServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)

    @property
    def sandbox(self):
        return self.app.extensions["wechat_sandbox"]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def make_live_server(make_app):
    """Start the app (sandbox included) on a real port; keyword arguments override config."""
    servers = []

    def factory(**overrides) -> LiveServer:
        port = _free_port()
        app = make_app(PUBLIC_BASE_URL=f"http://127.0.0.1:{port}", **overrides)
        server = LiveServer(app, port).start()
        servers.append(server)
        return server

    yield factory
    for server in servers:
        server.stop()


@pytest.fixture
def live_server(make_live_server):
    return make_live_server()


@pytest.fixture
def live_app(live_server):
    """The live server's app, with an app context pushed for the test's own queries."""
    with live_server.app.app_context():
        yield live_server.app
