"""WeChat's retries (and replays) get the same answer, and what they carry happens once."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select

from app.extensions import db
from app.officialaccount import replies
from app.officialaccount.models import Fan
from tests import oa_push


def _resend(client, query, body):
    return client.post(f"/wechat/oa?{query}", data=body, content_type="text/xml")


@pytest.mark.parametrize("mode", ["plain", "compatible", "safe"])
def test_a_retried_text_message_gets_the_same_reply_bytes(app, client, mode):
    oa_push.set_mode(mode)
    replies.set_special_reply("default", "text", {"content": "默认回复"})
    db.session.commit()
    xml = oa_push.text("o_fan", "在吗")

    answers = []
    for attempt in range(4):  # WeChat signs each attempt afresh
        query, body = oa_push.signed(app.config, xml, mode, timestamp=str(1_800_000_000 + attempt * 5),
                                     nonce=str(1000 + attempt))
        answers.append(_resend(client, query, body))

    assert oa_push.reply_of(app.config, answers[0], mode)["Content"] == "默认回复"
    assert len({answer.get_data() for answer in answers}) == 1


def test_different_messages_with_the_same_reply_are_sealed_differently(app, client):
    replies.set_special_reply("default", "text", {"content": "默认回复"})
    db.session.commit()
    first = oa_push.post(client, app.config, oa_push.text("o_fan", "在吗"))
    second = oa_push.post(client, app.config, oa_push.text("o_fan", "在吗"))
    assert first.get_data() != second.get_data()
    assert oa_push.reply_of(app.config, first)["Content"] == oa_push.reply_of(app.config, second)["Content"]


def test_a_retried_subscribe_counts_once(app, client):
    replies.set_special_reply("subscribe", "text", {"content": "欢迎"})
    db.session.commit()
    oa_push.post(client, app.config, oa_push.event("o_fan", "subscribe", "", create_time=1_800_000_001))
    oa_push.post(client, app.config, oa_push.event("o_fan", "unsubscribe", "", create_time=1_800_000_002))
    query, body = oa_push.signed(app.config, oa_push.event("o_fan", "subscribe", "", create_time=1_800_000_003))

    answers = {_resend(client, query, body).get_data() for _ in range(4)}

    assert len(answers) == 1
    db.session.expire_all()
    assert db.session.scalar(select(Fan).where(Fan.openid == "o_fan")).resubscribe_count == 1


def test_concurrent_deliveries_of_one_message_run_it_once(live_app, live_server):
    import requests

    replies.set_special_reply("subscribe", "text", {"content": "欢迎"})
    db.session.commit()
    oa_push.post(live_app.test_client(), live_app.config,
                 oa_push.event("o_race", "subscribe", "", create_time=1_800_000_101))
    oa_push.post(live_app.test_client(), live_app.config,
                 oa_push.event("o_race", "unsubscribe", "", create_time=1_800_000_102))
    query, body = oa_push.signed(live_app.config, oa_push.event("o_race", "subscribe", "qrscene_agent_1",
                                                                create_time=1_800_000_103))
    barrier, answers = threading.Barrier(6), []

    def deliver():
        barrier.wait()
        answers.append(requests.post(f"{live_server.url}/wechat/oa?{query}", data=body, timeout=10))

    threads = [threading.Thread(target=deliver) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert all(answer.status_code == 200 for answer in answers)
    assert len({answer.content for answer in answers if answer.content != b"success"}) == 1
    db.session.expire_all()
    fan = db.session.scalar(select(Fan).where(Fan.openid == "o_race"))
    assert fan.resubscribe_count == 1
