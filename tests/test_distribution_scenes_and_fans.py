"""Shares name their referrer (wxacode scene r=<code>&p=<id>, official-account QR scenes),
a scanned official-account code binds the fan's shopper account, and agents earn fan points
once per genuinely new shopper, up to a daily cap."""

from __future__ import annotations

from sqlalchemy import select

from app.core.models import utcnow
from app.distribution import agents, binding, jobs, scenes
from app.extensions import db
from app.members.models import PointsEntry
from app.members.services import wallet_of
from app.officialaccount.models import Fan, SceneTouch
from tests import factories
from tests.distribution_helpers import agent, bind, configure, days, paid_order, sku


def test_scenes_name_their_referrer():
    assert scenes.referrer_in("r=Ab3dE9&p=123") == "Ab3dE9"
    assert scenes.referrer_in("agent_1024") == 1024
    assert scenes.referrer_in("Ab3dE9") == "Ab3dE9"
    assert scenes.referrer_in("r=bad!&p=1") is None and scenes.referrer_in("") is None
    scene = scenes.scene_for("Ab3dE9xY", 123456789012345)
    assert len(scene) <= 32 and scenes.referrer_in(scene) == "Ab3dE9xY"


def test_a_scanned_official_account_code_binds_the_fans_shopper(app):
    referrer = agent("qr-agent")
    shopper = factories.shopper()
    fan = Fan(openid="o_fan_1", user_id=shopper.id, status="subscribed")
    db.session.add(fan)
    db.session.flush()
    touch = SceneTouch(fan_id=fan.id, user_id=shopper.id, scene=f"agent_{referrer.id}", event="subscribe",
                       dedup_key="o_fan_1:1")
    db.session.add(touch)
    db.session.commit()
    assert jobs.bind_scanned_fan(touch.id) == "bound"
    db.session.commit()
    current = binding.binding_of(shopper.id)
    assert (current.referrer_user_id, current.source) == (referrer.id, "oa_qr")


def _points(user) -> int:
    db.session.commit()
    return wallet_of(user.id).points


def test_fan_points_once_per_new_shopper_and_never_for_old_ones_or_rebinds(app):
    configure(fan_points=10, bind_mode="latest")
    first, second = agent("fan-a"), agent("fan-b")
    newcomer = factories.shopper()
    bind(newcomer, first)
    bind(newcomer, second)  # a rebind: nothing for anyone
    assert (_points(first), _points(second)) == (10, 0)
    veteran = factories.shopper()
    paid_order(veteran, [(sku(), 1)])
    bind(veteran, first)  # already a customer
    old = factories.shopper()
    old.created_at = utcnow() - days(3)
    db.session.commit()
    bind(old, first)  # registered days ago
    assert _points(first) == 10
    assert bind(first, first).reason == "self" and _points(first) == 10


def test_fan_points_stop_at_the_daily_cap(app):
    configure(fan_points=5, fan_points_daily_cap=2)
    busy = agent("busy")
    for _ in range(3):
        bind(factories.shopper(), busy)
    assert _points(busy) == 10
    rewarded = db.session.scalars(select(PointsEntry.ref).where(PointsEntry.user_id == busy.id)).all()
    assert len(rewarded) == 2
    assert agents.is_active(busy.id)
