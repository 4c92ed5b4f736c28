"""Liveness, readiness, request ids, and logs that never carry a secret."""

from __future__ import annotations

import logging

from app.config import describe_backends, normalise_database_url


def test_healthz_answers_while_the_process_is_up(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_readyz_is_200_when_database_and_redis_answer(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json()["checks"] == {"database": "ok", "redis": "ok"}


def test_readyz_is_503_when_redis_is_unreachable(make_app):
    app = make_app(REDIS_URL="redis://127.0.0.1:1/0")
    app.extensions["redis"].connection_pool.connection_kwargs["socket_connect_timeout"] = 1
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["redis"] == "unavailable"


def test_readyz_is_503_when_the_database_is_unreachable(make_app):
    app = make_app(SQLALCHEMY_DATABASE_URI="mysql+pymysql://root@127.0.0.1:1/nowhere",
                   SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"connect_timeout": 2}})
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.get_json()["checks"]["database"] == "unavailable"


def test_request_id_is_echoed_or_made_up(client):
    assert client.get("/healthz", headers={"X-Request-ID": "abc-123"}).headers["X-Request-ID"] == "abc-123"
    generated = client.get("/healthz", headers={"X-Request-ID": "bad id!"}).headers["X-Request-ID"]
    assert len(generated) == 32


def test_logs_carry_no_token_secret_or_query_string(app, client, caplog):
    caplog.set_level(logging.DEBUG)
    token = client.post("/api/v1/auth/dev-login", json={"name": "alice"}).get_json()["token"]
    client.get("/api/v1/me?code=wx-login-code-123", headers={"Authorization": f"Bearer {token}"})
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "GET /api/v1/me 200" in logged
    for secret in (token, app.config["SECRET_KEY"], "wx-login-code-123"):
        assert secret not in logged


def test_startup_line_names_the_mode_without_passwords():
    line = describe_backends({
        "SQLALCHEMY_DATABASE_URI": normalise_database_url("mysql://shop:hunter2@db:3306/fenxiao"),
        "REDIS_URL": "redis://:redispass@cache:6379/0",
        "RQ_INLINE": False,
        "WECHAT_SANDBOX": False,
    })
    assert "mode=production" in line and "jobs=rq-workers" in line and "wechat=live" in line
    assert "hunter2" not in line and "redispass" not in line
    assert "charset=utf8mb4" in line and "mysql+pymysql" in line


def test_embedded_default_is_sqlite_and_fakeredis(monkeypatch, tmp_path):
    from app.config import Config

    monkeypatch.setenv("FENXIAO_INSTANCE_PATH", str(tmp_path))
    config = Config()
    assert f"sqlite:///{tmp_path / 'fenxiao.db'}" == config.SQLALCHEMY_DATABASE_URI
    assert config.REDIS_URL is None and config.RQ_INLINE is True
    line = describe_backends(vars(config))
    assert "mode=embedded" in line and "in-process fakeredis" in line and "jobs=inline" in line


def test_the_root_lists_where_things_are(client):
    links = client.get("/").get_json()["links"]
    assert links["api_docs"] == "/api/v1/docs" and links["wechat_sandbox"] == "/sandbox/"
    assert client.get("/sandbox/").get_json()["sandbox"] is True


def test_the_sandbox_does_not_exist_outside_sandbox_mode(make_app):
    app = make_app(WECHAT_SANDBOX=False)
    assert app.test_client().get("/sandbox/").status_code == 404
    assert app.test_client().post("/sandbox/api/cgi-bin/stable_token", json={}).status_code == 404
