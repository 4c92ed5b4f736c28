"""Friends helping one bargain at the same moment, over real HTTP (each request in its own thread
and session, as gunicorn's threads): no cut is lost or applied twice, the floor is reached exactly
at the required count and never passed, and one friend tapping five times at once helps once.

SQLite serialises writers with a database lock instead of row locks, so these run on MariaDB."""

from __future__ import annotations

import threading
import uuid

import pytest
import requests
from sqlalchemy import func, select

from app.accounts.models import User
from app.accounts.services import token_for
from app.extensions import db
from app.marketing.bargain_models import Bargain, BargainHelp, BargainStatus
from tests import bargain_helpers as bh

HELPERS_NEEDED = 10
FRIENDS = 16


def _tokens(count: int) -> list[dict[str, str]]:
    headers = []
    for index in range(count):
        user = User(mp_openid=f"dev_help{index}_{uuid.uuid4().hex[:6]}", nickname=f"好友{index}", is_test=True)
        db.session.add(user)
        db.session.flush()
        headers.append({"Authorization": f"Bearer {token_for(user)}"})
    db.session.commit()
    return headers


def _race(live_server, path: str, headers: list[dict[str, str]]) -> list[requests.Response]:
    barrier = threading.Barrier(len(headers))
    answers: list[requests.Response | None] = [None] * len(headers)

    def tap(index: int) -> None:
        barrier.wait()
        answers[index] = requests.post(f"{live_server.url}/api/v1{path}", headers=headers[index], timeout=120)

    threads = [threading.Thread(target=tap, args=(index,)) for index in range(len(headers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert all(answer is not None for answer in answers)
    return answers  # type: ignore[return-value]


@pytest.fixture
def mariadb_only(live_app):
    if db.engine.dialect.name == "sqlite":
        pytest.skip("SQLite has no row locks to race on; MariaDB runs this")


def test_sixteen_friends_at_once_make_exactly_ten_cuts_reaching_the_floor(live_app, live_server, mariadb_only):
    # given a bargain from ¥100.00 to ¥10.00 needing ten helpers
    row = bh.activity(start=10_000, floor=1_000, helpers=HELPERS_NEEDED, helps_per_day=5)
    bargain = bh.launched(bh.friends(1, "发起人")[0], row)
    # when sixteen friends help at the same moment
    answers = _race(live_server, f"/bargains/{bargain.id}/help", _tokens(FRIENDS))
    # then ten helped, the others were told it is complete, and the cuts add up to the floor exactly
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses.count(201) == HELPERS_NEEDED, [answer.text for answer in answers]
    assert {answer.json()["error"]["code"] for answer in answers if answer.status_code != 201} == {"bargain_complete"}
    db.session.rollback()
    done = db.session.get(Bargain, bargain.id)
    cuts = list(db.session.scalars(select(BargainHelp.cut_fen).where(BargainHelp.bargain_id == bargain.id)))
    assert (done.current_price_fen, done.helpers_count, done.status) == (1_000, 10, BargainStatus.SUCCEEDED)
    assert len(cuts) == HELPERS_NEEDED and sum(cuts) == 9_000
    assert sorted(answer.json()["cut_fen"] for answer in answers if answer.status_code == 201) == sorted(cuts)


def test_one_friend_tapping_five_times_at_once_helps_once(live_app, live_server, mariadb_only):
    row = bh.activity(start=10_000, floor=1_000, helpers=HELPERS_NEEDED)
    bargain = bh.launched(bh.friends(1, "发起人")[0], row)
    answers = _race(live_server, f"/bargains/{bargain.id}/help", _tokens(1) * 5)
    assert sorted(answer.status_code for answer in answers) == [201, 409, 409, 409, 409]
    assert {answer.json()["error"]["code"] for answer in answers if answer.status_code == 409} == {"already_helped"}
    db.session.rollback()
    helps = db.session.scalar(select(func.count()).select_from(BargainHelp).where(BargainHelp.bargain_id == bargain.id))
    done = db.session.get(Bargain, bargain.id)
    assert helps == 1 == done.helpers_count
    assert done.current_price_fen == 10_000 - db.session.scalar(
        select(BargainHelp.cut_fen).where(BargainHelp.bargain_id == bargain.id))
