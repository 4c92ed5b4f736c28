"""Domain events reach their subscribers only after the publishing transaction commits."""

from __future__ import annotations

import pytest

from app.accounts.models import User
from app.core.events import publish, subscribe
from app.core.jobs import job
from app.extensions import db

received: list[tuple[int, str | None]] = []


@subscribe("test.user_created")
@job("default")
def on_user_created(user_id: int) -> None:
    user = db.session.get(User, user_id)
    received.append((user_id, user.nickname if user else None))


@pytest.fixture(autouse=True)
def _reset():
    received.clear()


def test_subscribers_run_after_commit_and_see_the_committed_row(app):
    user = User(nickname="新用户")
    db.session.add(user)
    db.session.flush()
    assert publish("test.user_created", user.id) == 1
    assert received == []
    db.session.commit()
    assert received == [(user.id, "新用户")]


def test_nothing_is_delivered_when_the_publisher_rolls_back(app):
    user = User(nickname="x")
    db.session.add(user)
    db.session.flush()
    publish("test.user_created", user.id)
    db.session.rollback()
    assert received == []


def test_only_jobs_can_subscribe():
    with pytest.raises(TypeError):
        subscribe("test.anything")(lambda: None)
