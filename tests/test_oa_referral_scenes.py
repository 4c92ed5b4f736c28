"""A fan arriving through an agent's QR code is recorded once and announced as referral.scanned."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select

from app.core.events import subscribe
from app.core.jobs import job
from app.extensions import db
from app.officialaccount.models import Fan, SceneTouch
from tests import oa_push

announced: list[tuple[int, str]] = []
_clock = itertools.count(1_810_000_000)


@subscribe("referral.scanned")
@job("default")
def remember_scan(touch_id: int) -> None:
    touch = db.session.get(SceneTouch, touch_id)
    announced.append((touch_id, touch.scene if touch else "<not committed>"))


@pytest.fixture(autouse=True)
def _reset():
    announced.clear()


def _touches() -> list[SceneTouch]:
    db.session.expire_all()
    return list(db.session.scalars(select(SceneTouch).order_by(SceneTouch.id)))


def test_subscribing_through_an_agent_code_records_the_scene_and_announces_it(app, client):
    oa_push.post(client, app.config, oa_push.event("o_friend", "subscribe", "qrscene_agent_1024",
                                                   create_time=next(_clock)))
    (touch,) = _touches()
    fan = db.session.scalar(select(Fan).where(Fan.openid == "o_friend"))
    assert (touch.scene, touch.source, touch.event, touch.fan_id, touch.user_id) == \
        ("agent_1024", "oa_qrcode", "subscribe", fan.id, fan.user_id)
    assert fan.subscribe_scene == "agent_1024"
    assert announced == [(touch.id, "agent_1024")]  # the subscriber saw the committed row


def test_a_follower_scanning_an_agent_code_is_recorded_too(app, client):
    oa_push.post(client, app.config, oa_push.event("o_fan", "subscribe", "", create_time=next(_clock)))
    response = oa_push.post(client, app.config, oa_push.event("o_fan", "SCAN", "agent_77", create_time=next(_clock)))
    assert response.get_data() == b"success"
    assert [(t.scene, t.event) for t in _touches()] == [("agent_77", "scan")]


def test_a_scan_from_a_follower_we_never_saw_creates_the_fan(app, client):
    oa_push.post(client, app.config, oa_push.event("o_quiet", "SCAN", "agent_5", create_time=next(_clock)))
    fan = db.session.scalar(select(Fan).where(Fan.openid == "o_quiet"))
    assert fan.is_subscribed and [t.fan_id for t in _touches()] == [fan.id]


@pytest.mark.parametrize("key", ["", "qrscene_", "scanbarcode|x", "qrscene_" + "x" * 65, "qrscene_空格 场景"])
def test_an_event_key_without_a_usable_scene_records_nothing(app, client, key):
    oa_push.post(client, app.config, oa_push.event("o_plain", "subscribe", key, create_time=next(_clock)))
    assert _touches() == [] and announced == []
    assert db.session.scalar(select(Fan).where(Fan.openid == "o_plain")).is_subscribed


def test_a_scene_event_pushed_again_after_redis_forgot_it_is_still_recorded_once(app, client):
    xml = oa_push.event("o_twice", "subscribe", "qrscene_agent_9", create_time=next(_clock))
    oa_push.post(client, app.config, xml)
    app.extensions["redis"].flushdb()  # the dedup claim expired or Redis restarted
    response = oa_push.post(client, app.config, xml)
    assert response.status_code == 200
    assert len(_touches()) == 1 and len(announced) == 1
