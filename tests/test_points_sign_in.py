"""Daily sign-in: once per Beijing day (a double tap or ten at once give one), base points
plus streak rewards, a missed day starting again; and the points detail the shopper sees."""

from __future__ import annotations

import threading
import uuid
from datetime import datetime, timedelta

import pytest
import requests
from sqlalchemy import func, select

from app.accounts.models import User
from app.accounts.services import token_for
from app.audit.services import Actor
from app.extensions import db
from app.marketing import sign_in
from app.marketing.points_models import SignIn
from app.members.models import PointsEntry
from app.members.services import change_points
from tests.checkout_helpers import Shopper, error_code

BOSS = Actor(None, "127.0.0.1")
# 2026-03-02 23:30 Beijing = 15:30 UTC; the next Beijing day starts 30 minutes later
LATE_EVENING = datetime(2026, 3, 2, 15, 30)


def _rules(base=5, rewards=({"day": 3, "points": 5}, {"day": 7, "points": 20})):
    sign_in.save_rules(BOSS, enabled=True, base_points=base, streak_rewards=list(rewards))
    db.session.commit()


def _sign(user_id, at):
    row, created = sign_in.sign_in(user_id, at)
    db.session.commit()
    return row.streak, row.points, created


def _shopper_with_wallet(client) -> Shopper:
    shopper = Shopper(client)
    change_points(shopper.id, 0, kind="admin_adjust", ref=f"open-{shopper.id}", reason="开户")
    db.session.commit()
    return shopper


def test_a_streak_earns_its_rewards_and_a_missed_day_starts_again(client):
    _rules()
    user_id = _shopper_with_wallet(client).id
    got = [_sign(user_id, LATE_EVENING + timedelta(days=day)) for day in range(8)]
    assert [(streak, points) for streak, points, _created in got] == [
        (1, 5), (2, 5), (3, 10), (4, 5), (5, 5), (6, 5), (7, 25), (8, 5)]
    assert _sign(user_id, LATE_EVENING + timedelta(days=9)) == (1, 5, True)  # day 8 missed


def test_the_beijing_day_decides_not_the_utc_one(client):
    _rules()
    user_id = _shopper_with_wallet(client).id
    assert _sign(user_id, LATE_EVENING)[2] is True
    assert _sign(user_id, LATE_EVENING + timedelta(minutes=20))[2] is False  # 23:50 the same day
    assert _sign(user_id, LATE_EVENING + timedelta(minutes=31))[:2] == (2, 5)  # 00:01 the next


def test_signing_in_twice_gives_the_points_once_and_the_status_shows_the_calendar(client):
    _rules()
    shopper = _shopper_with_wallet(client)
    first = shopper.post("/sign-in")
    second = shopper.post("/sign-in")
    assert first.status_code == 201 and first.get_json()["signed_in"] is True
    assert second.status_code == 200 and second.get_json() == {**first.get_json(), "signed_in": False}
    status = shopper.get("/sign-in").get_json()
    today = sign_in.beijing_day()
    assert status["signed_today"] and status["streak"] == 1 and status["today_points"] == 5
    assert status["tomorrow_points"] == 5 and status["signed_days"] == [today.day]
    assert status["month"] == today.strftime("%Y-%m")
    detail = shopper.get("/points").get_json()
    assert detail["balance"] == 5
    entries = shopper.get("/points/entries").get_json()["items"]
    assert [(entry["kind"], entry["label"], entry["delta"]) for entry in entries][:1] == [
        ("sign_in", "每日签到", 5)]


def test_a_bad_month_is_a_422_with_the_error_shape(client):
    shopper = Shopper(client)
    answer = shopper.get("/sign-in?month=2026-13")
    assert answer.status_code == 422 and error_code(answer)


def test_switched_off_sign_in_is_refused_and_writes_nothing(client):
    sign_in.save_rules(BOSS, enabled=False, base_points=5, streak_rewards=[])
    db.session.commit()
    shopper = _shopper_with_wallet(client)
    answer = shopper.post("/sign-in")
    assert answer.status_code == 409 and error_code(answer) == "sign_in_off"
    assert db.session.scalar(select(func.count()).select_from(SignIn)) == 0


def test_bad_rules_are_refused_with_the_fields(app):
    from app.core.errors import ValidationError
    with pytest.raises(ValidationError) as refused:
        sign_in.save_rules(BOSS, enabled=True, base_points=-1, streak_rewards=[{"day": 1, "points": 3}])
    assert set(refused.value.fields) == {"base_points", "streak_rewards.0.day"}


def test_ten_sign_ins_at_once_make_one_row_and_give_the_points_once(live_app, live_server):
    if db.engine.dialect.name == "sqlite":
        pytest.skip("SQLite has no row locks to race on; MariaDB runs this")
    _rules()
    user = User(mp_openid=f"dev_signer_{uuid.uuid4().hex[:6]}", nickname="signer", is_test=True)
    db.session.add(user)
    db.session.flush()
    change_points(user.id, 0, kind="admin_adjust", ref=f"open-{user.id}", reason="开户")
    headers = {"Authorization": f"Bearer {token_for(user)}"}
    db.session.commit()
    barrier = threading.Barrier(10)
    answers: list[int] = []

    def tap() -> None:
        barrier.wait()
        answers.append(requests.post(f"{live_server.url}/api/v1/sign-in", headers=headers, timeout=120).status_code)

    threads = [threading.Thread(target=tap) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    db.session.rollback()
    assert sorted(answers) == [200] * 9 + [201]
    assert db.session.scalar(select(func.count()).select_from(SignIn).where(SignIn.user_id == user.id)) == 1
    assert db.session.scalar(select(func.sum(PointsEntry.delta)).where(PointsEntry.user_id == user.id)) == 5
