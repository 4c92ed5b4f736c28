"""Jobs and follow-up calls run only after the transaction they read has committed."""

from __future__ import annotations

import pytest
from rq import SimpleWorker

from app.accounts.models import User
from app.core.after_commit import after_commit
from app.core.jobs import job
from app.extensions import db, queues

seen_nicknames: list[str | None] = []


@job("notify")
def remember_nickname(user_id: int) -> None:
    """Reads the row the enqueuing transaction wrote: it must be committed by now."""
    user = db.session.get(User, user_id)
    seen_nicknames.append(user.nickname if user else None)


@pytest.fixture(autouse=True)
def _reset():
    seen_nicknames.clear()


def test_callback_runs_after_commit_not_before(app):
    calls = []
    db.session.add(User(nickname="x"))
    after_commit(calls.append, "sent")
    db.session.flush()
    assert calls == []
    db.session.commit()
    assert calls == ["sent"]


def test_a_savepoint_released_on_the_way_does_not_run_the_callbacks_early(app):
    calls = []
    db.session.add(User(nickname="x"))
    after_commit(calls.append, "sent")
    with db.session.begin_nested():  # as _insert_once does
        db.session.add(User(nickname="y"))
    assert calls == []
    db.session.commit()
    assert calls == ["sent"]


def test_callback_is_dropped_on_rollback(app):
    calls = []
    db.session.add(User(nickname="x"))
    after_commit(calls.append, "sent")
    db.session.rollback()
    db.session.commit()
    assert calls == []


def test_inline_job_sees_the_committed_row(app):
    user = User(nickname="小明")
    db.session.add(user)
    db.session.flush()
    remember_nickname.delay(user.id)
    assert seen_nicknames == []
    db.session.commit()
    assert seen_nicknames == ["小明"]


def test_inline_job_is_not_run_when_the_transaction_rolls_back(app):
    user = User(nickname="ghost")
    db.session.add(user)
    db.session.flush()
    remember_nickname.delay(user.id)
    db.session.rollback()
    assert seen_nicknames == []


def test_a_failing_callback_does_not_stop_the_others(app):
    calls = []

    def boom():
        raise RuntimeError("down")

    after_commit(boom)
    after_commit(calls.append, "still sent")
    db.session.commit()
    assert calls == ["still sent"]


def test_real_redis_queue_gets_the_job_only_after_commit_and_a_worker_runs_it(make_app, backend):
    if backend.redis_url is None:
        pytest.skip("needs a real Redis (run with FENXIAO_TEST_BACKEND=mariadb)")
    app = make_app(RQ_INLINE=False)
    with app.app_context():
        queue = queues.get("notify")
        user = User(nickname="队列")
        db.session.add(user)
        db.session.flush()
        remember_nickname.delay(user.id)
        assert queue.count == 0
        db.session.commit()
        assert queue.count == 1
        job = queue.jobs[0]
        assert job.retries_left == 3

        SimpleWorker([queue], connection=app.extensions["redis"]).work(burst=True)
    assert seen_nicknames == ["队列"]


def test_real_redis_queue_gets_nothing_on_rollback(make_app, backend):
    if backend.redis_url is None:
        pytest.skip("needs a real Redis (run with FENXIAO_TEST_BACKEND=mariadb)")
    app = make_app(RQ_INLINE=False)
    with app.app_context():
        user = User(nickname="回滚")
        db.session.add(user)
        db.session.flush()
        remember_nickname.delay(user.id)
        db.session.rollback()
        assert queues.get("notify").count == 0
