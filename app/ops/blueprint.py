"""/healthz says the process is up; /readyz says it can reach its database and Redis."""

from __future__ import annotations

import logging

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from app.extensions import db, redis_client

bp = Blueprint("ops", __name__)
log = logging.getLogger(__name__)


@bp.get("/")
def index():
    """Where things are, for someone who opens the server's address in a browser."""
    links = {"api_docs": "/api/v1/docs", "openapi": "/api/v1/openapi.json", "readiness": "/readyz"}
    if current_app.config.get("WECHAT_SANDBOX"):
        links["wechat_sandbox"] = "/sandbox/"
    return jsonify(name="Fenxiao 分销", links=links)


@bp.get("/healthz")
def healthz():
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz():
    checks = {"database": _check(lambda: db.session.execute(text("SELECT 1"))),
              "redis": _check(redis_client.ping)}
    db.session.rollback()
    ready = all(value == "ok" for value in checks.values())
    return jsonify(status="ready" if ready else "unavailable", checks=checks), 200 if ready else 503


def _check(probe) -> str:
    try:
        probe()
        return "ok"
    except Exception as exc:  # a readiness probe reports, it does not raise
        log.warning("readiness check failed: %s", type(exc).__name__)
        return "unavailable"
