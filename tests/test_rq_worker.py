"""Production mode: a job enqueued on real Redis is run by `flask rq worker` in another process."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from app.accounts.models import User
from app.core.jobs import job
from app.extensions import db, queues


@job("notify")
def rename_user(user_id: int, nickname: str) -> None:
    """Idempotent: setting the same nickname twice leaves the same row."""
    db.session.get(User, user_id).nickname = nickname


def test_flask_rq_worker_runs_jobs_from_real_redis_against_the_database(make_app, backend):
    if backend.redis_url is None:
        pytest.skip("needs a real Redis (run with FENXIAO_TEST_BACKEND=mariadb)")
    app = make_app(RQ_INLINE=False)
    with app.app_context():
        user = User(nickname="before")
        db.session.add(user)
        db.session.commit()
        rename_user.delay(user.id, "after")
        db.session.commit()
        assert queues.get("notify").count == 1

        env = {**os.environ, "DATABASE_URL": backend.database_url, "REDIS_URL": backend.redis_url,
               "SECRET_KEY": "worker-test", "WECHAT_SANDBOX": "1"}
        result = subprocess.run(
            [sys.executable, "-m", "flask", "--app", "wsgi", "rq", "worker", "--burst", "notify"],
            env=env, capture_output=True, text=True, timeout=120,
        )
        assert result.returncode == 0, result.stderr[-2000:]
        db.session.expire_all()
        assert db.session.get(User, user.id).nickname == "after"
        assert queues.get("notify").count == 0


def test_the_worker_refuses_to_start_without_redis(runner):
    result = runner.invoke(args=["rq", "worker", "--burst"])
    assert result.exit_code != 0
    assert "jobs run inline" in result.output
