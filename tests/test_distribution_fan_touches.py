"""A fan who follows through an agent's official-account QR code before they ever opened the
mini-program is bound once their shopper account exists (linked by the unionid), as of the
moment they scanned — and a replay binds nothing twice."""

from __future__ import annotations

import itertools

from sqlalchemy import select

from app.accounts.models import User
from app.accounts.wechat_identity import upsert_wechat_user
from app.distribution import binding, jobs
from app.distribution.agent_models import BindingEvent
from app.extensions import db
from app.officialaccount.models import SceneTouch
from tests import oa_push
from tests.distribution_helpers import agent, configure

_clock = itertools.count(1_820_000_000)


def _follow(app, client, openid: str, scene: str) -> User:
    oa_push.post(client, app.config, oa_push.event(openid, "subscribe", f"qrscene_{scene}",
                                                   create_time=next(_clock)))
    db.session.expire_all()
    return db.session.scalar(select(User).where(User.oa_openid == openid))


def _events(user_id: int) -> list[tuple[str, int | None]]:
    db.session.expire_all()
    return [(row.action, row.referrer_user_id) for row in db.session.scalars(
        select(BindingEvent).where(BindingEvent.user_id == user_id).order_by(BindingEvent.id))]


def test_a_fan_without_a_shopper_account_is_bound_when_they_open_the_mini_program(app, client):
    first, second = agent("qr-first"), agent("qr-second")
    fan_user = _follow(app, client, "o_fan_waits", f"agent_{first.id}")
    _follow(app, client, "o_fan_waits", f"agent_{second.id}")  # a second scan, later (a SCAN event would do too)
    assert fan_user.mp_openid is None and binding.binding_of(fan_user.id) is None  # the touches wait
    # the web OAuth tells us the fan's unionid; then the same person logs in to the mini-program
    upsert_wechat_user("oa", "o_fan_waits", "u_fan_waits")
    db.session.commit()
    shopper = upsert_wechat_user("mp", "m_fan_waits", "u_fan_waits")
    db.session.commit()  # shopper.joined: the waiting touches are applied after the commit
    assert shopper.id == fan_user.id
    current = binding.binding_of(shopper.id)
    assert (current.referrer_user_id, current.source) == (first.id, "oa_qr")  # permanent: first touch wins
    assert _events(shopper.id) == [("bind", first.id), ("refused", second.id)]
    assert jobs.bind_waiting_touches(shopper.id) == ["skipped", "skipped"]  # a replay binds nothing again
    db.session.commit()
    assert binding.binding_of(shopper.id).referrer_user_id == first.id


def test_in_latest_mode_the_last_scan_wins_and_a_replay_changes_nothing(app, client):
    configure(bind_mode="latest")
    first, second = agent("qr-l1"), agent("qr-l2")
    fan_user = _follow(app, client, "o_fan_latest", f"agent_{first.id}")
    _follow(app, client, "o_fan_latest", f"agent_{second.id}")
    upsert_wechat_user("oa", "o_fan_latest", "u_fan_latest")
    upsert_wechat_user("mp", "m_fan_latest", "u_fan_latest")
    db.session.commit()
    assert binding.binding_of(fan_user.id).referrer_user_id == second.id
    before = _events(fan_user.id)
    assert before == [("bind", first.id), ("rebind", second.id)]
    assert jobs.bind_waiting_touches(fan_user.id) == ["skipped", "skipped"]
    db.session.commit()
    assert _events(fan_user.id) == before


def test_a_fan_who_already_shops_is_bound_at_once(app, client):
    referrer = agent("qr-now")
    upsert_wechat_user("mp", "m_fan_now", "u_fan_now")
    upsert_wechat_user("oa", "o_fan_now", "u_fan_now")
    db.session.commit()
    shopper = _follow(app, client, "o_fan_now", f"agent_{referrer.id}")
    assert shopper.mp_openid == "m_fan_now"
    assert binding.binding_of(shopper.id).referrer_user_id == referrer.id
    touch = db.session.scalar(select(SceneTouch).where(SceneTouch.user_id == shopper.id))
    assert jobs.bind_scanned_fan(touch.id) == "skipped"  # already applied


def test_a_new_follower_earns_the_agent_fan_points_once_though_the_binding_waits(app, client):
    from app.members.services import wallet_of

    configure(fan_points=7)
    referrer = agent("qr-points")
    fan_user = _follow(app, client, "o_fan_points", f"agent_{referrer.id}")
    assert binding.binding_of(fan_user.id) is None
    assert wallet_of(referrer.id).points == 7  # a genuinely new follower
    _follow(app, client, "o_fan_points", f"agent_{referrer.id}")  # scanning again earns nothing
    upsert_wechat_user("oa", "o_fan_points", "u_fan_points")
    upsert_wechat_user("mp", "m_fan_points", "u_fan_points")
    db.session.commit()
    assert binding.binding_of(fan_user.id).referrer_user_id == referrer.id
    db.session.expire_all()
    assert wallet_of(referrer.id).points == 7  # and the binding made later earns nothing more


def test_a_replayed_scan_never_undoes_a_newer_one(app, client):
    configure(bind_mode="latest")
    first, second = agent("qr-r1"), agent("qr-r2")
    upsert_wechat_user("mp", "m_fan_replay", "u_fan_replay")
    upsert_wechat_user("oa", "o_fan_replay", "u_fan_replay")
    db.session.commit()
    shopper = _follow(app, client, "o_fan_replay", f"agent_{first.id}")
    _follow(app, client, "o_fan_replay", f"agent_{second.id}")
    assert binding.binding_of(shopper.id).referrer_user_id == second.id
    older = db.session.scalars(select(SceneTouch).where(SceneTouch.user_id == shopper.id)
                               .order_by(SceneTouch.id)).first()
    assert jobs.bind_scanned_fan(older.id) == "skipped"  # RQ ran the first scan's job again
    db.session.commit()
    assert binding.binding_of(shopper.id).referrer_user_id == second.id
