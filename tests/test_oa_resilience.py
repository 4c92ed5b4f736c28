"""Without Redis the webhook still answers every fan, and a subscribe is still counted once."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.officialaccount import replies
from app.officialaccount.models import Fan
from tests import oa_push


@pytest.fixture
def app_without_redis(make_app):
    app = make_app(REDIS_URL="redis://127.0.0.1:1/0")
    app.extensions["redis"].connection_pool.connection_kwargs["socket_connect_timeout"] = 1
    with app.app_context():
        replies.set_special_reply("subscribe", "text", {"content": "欢迎"})
        replies.set_special_reply("default", "text", {"content": "默认回复"})
        db.session.commit()
        yield app


def test_messages_and_events_are_answered_while_redis_is_down(app_without_redis):
    app, client = app_without_redis, app_without_redis.test_client()
    text = oa_push.post(client, app.config, oa_push.text("o_fan", "在吗"))
    xml = oa_push.event("o_fan", "subscribe", "", create_time=1_800_000_500)
    first, retry = (oa_push.post(client, app.config, xml) for _ in range(2))

    assert oa_push.reply_of(app.config, text)["Content"] == "默认回复"
    assert oa_push.reply_of(app.config, first)["Content"] == "欢迎"
    assert retry.status_code == 200
    db.session.expire_all()
    fan = db.session.scalar(select(Fan).where(Fan.openid == "o_fan"))
    assert fan.is_subscribed and fan.resubscribe_count == 0 and fan.last_event_time == 1_800_000_500
