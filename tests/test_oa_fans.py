"""Following, unfollowing and coming back update one fan record, linked to our shopper."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.extensions import db
from app.officialaccount import replies
from app.officialaccount.models import Fan
from app.officialaccount.states import FAN_STATUSES, FAN_TRANSITIONS, can_transition
from tests import oa_push

_clock = itertools.count(1_800_000_000)


def _push(app, client, openid, event, key=None, *, at=None):
    response = oa_push.post(client, app.config, oa_push.event(openid, event, key, create_time=at or next(_clock)))
    assert response.status_code == 200
    return response


def _fan(openid) -> Fan:
    db.session.expire_all()
    return db.session.scalar(select(Fan).where(Fan.openid == openid))


def test_a_new_follower_gets_the_welcome_and_becomes_a_fan_and_a_shopper(app, client):
    replies.set_special_reply("subscribe", "text", {"content": "欢迎关注！"})
    db.session.commit()

    response = _push(app, client, "o_new", "subscribe", "")

    assert oa_push.reply_of(app.config, response)["Content"] == "欢迎关注！"
    fan = _fan("o_new")
    assert fan.is_subscribed and fan.resubscribe_count == 0 and fan.first_subscribed_at is not None
    assert db.session.get(User, fan.user_id).oa_openid == "o_new"


def test_a_fan_who_leaves_and_comes_back_keeps_their_history(app, client):
    _push(app, client, "o_back", "subscribe", "")
    first = _fan("o_back")
    first_subscribed_at, user_id = first.first_subscribed_at, first.user_id

    _push(app, client, "o_back", "unsubscribe", "")
    left = _fan("o_back")
    assert left.status == "unsubscribed" and left.unsubscribed_at is not None

    _push(app, client, "o_back", "subscribe", "")
    back = _fan("o_back")
    assert back.is_subscribed and back.resubscribe_count == 1
    assert back.first_subscribed_at == first_subscribed_at and back.user_id == user_id
    assert db.session.scalar(select(func.count()).select_from(Fan)) == 1


def test_a_follower_already_known_as_a_shopper_is_linked_not_duplicated(app, client):
    shopper = User(oa_openid="o_known", nickname="老顾客")
    db.session.add(shopper)
    db.session.commit()

    _push(app, client, "o_known", "subscribe", "")

    assert _fan("o_known").user_id == shopper.id
    assert db.session.scalar(select(func.count()).select_from(User)) == 1


def test_an_older_event_delivered_late_does_not_undo_a_newer_one(app, client):
    _push(app, client, "o_late", "subscribe", "", at=1_700_000_010)
    _push(app, client, "o_late", "unsubscribe", "", at=1_700_000_020)
    _push(app, client, "o_late", "subscribe", "", at=1_700_000_015)  # a retry of something older
    fan = _fan("o_late")
    assert fan.status == "unsubscribed" and fan.resubscribe_count == 0


def test_an_unsubscribe_from_a_fan_we_never_saw_is_kept(app, client):
    _push(app, client, "o_old", "unsubscribe", "")
    fan = _fan("o_old")
    assert fan.status == "unsubscribed" and fan.first_subscribed_at is None and fan.user_id is not None


def test_unsubscribe_gets_no_reply(app, client):
    replies.set_special_reply("default", "text", {"content": "默认"})
    db.session.commit()
    assert _push(app, client, "o_bye", "unsubscribe", "").get_data() == b"success"


@pytest.mark.parametrize("current", [None, *FAN_STATUSES])
@pytest.mark.parametrize("wanted", FAN_STATUSES)
def test_only_the_listed_fan_transitions_are_possible(current, wanted):
    allowed = {(None, "subscribed"), (None, "unsubscribed"), ("subscribed", "unsubscribed"),
               ("unsubscribed", "subscribed")}
    assert can_transition(current, wanted) == ((current, wanted) in allowed)
    assert set(FAN_TRANSITIONS) == {None, *FAN_STATUSES}
