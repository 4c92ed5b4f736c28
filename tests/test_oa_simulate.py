"""The sandbox's simulate actions push to the app over HTTP, as WeChat would, and show the reply."""

from __future__ import annotations

import pytest
import requests
from sqlalchemy import select

from app.extensions import db
from app.officialaccount import replies
from app.officialaccount.models import Fan, SceneTouch
from tests import oa_push


@pytest.fixture
def simulate(live_app, live_server):
    replies.set_special_reply("subscribe", "text", {"content": "欢迎关注"})
    replies.set_special_reply("default", "text", {"content": "默认回复"})
    replies.set_special_reply("click:DEALS", "text", {"content": "今日特价"})
    replies.set_special_reply("message:image", "text", {"content": "图片收到"})
    replies.set_special_reply("message:location", "text", {"content": "位置收到"})
    replies.create_keyword_rule(name="hi", keywords=[{"text": "你好"}], kind="text", content={"content": "你好呀"})
    db.session.commit()

    def call(action: str, **body):
        response = requests.post(f"{live_server.url}/sandbox/simulate/oa/{action}", json=body, timeout=10)
        return response.status_code, response.json()

    return call


def _content(result: dict) -> str | None:
    message = result["reply"]["message"]
    return message["Content"] if message else None


@pytest.mark.parametrize("mode", ["plain", "compatible", "safe"])
def test_a_fan_texting_gets_the_keyword_reply_in_the_mode_set_in_the_console(simulate, mode):
    oa_push.set_mode(mode)
    status, result = simulate("text", openid="o_sim", content="你好")
    assert status == 200 and result["status"] == 200 and result["mode"] == mode
    assert _content(result) == "你好呀"
    assert result["reply"]["signature_valid"] is (None if mode == "plain" else True)
    assert result["elapsed_ms"] < 5000


def test_a_fan_following_through_an_agent_scene_is_welcomed_and_recorded(simulate):
    status, result = simulate("subscribe", openid="o_sim", scene="agent_8")
    assert status == 200 and _content(result) == "欢迎关注"
    assert "qrscene_agent_8" in result["sent"]["xml"]
    db.session.expire_all()
    fan = db.session.scalar(select(Fan).where(Fan.openid == "o_sim"))
    assert fan.is_subscribed and fan.subscribe_scene == "agent_8"
    assert [t.scene for t in db.session.scalars(select(SceneTouch))] == ["agent_8"]


def test_unsubscribe_scan_and_click_through_the_sandbox(simulate):
    simulate("subscribe", openid="o_sim")
    assert simulate("unsubscribe", openid="o_sim")[1]["reply"]["raw"] == "success"
    simulate("subscribe", openid="o_sim")
    assert simulate("scan", openid="o_sim", scene="agent_3")[1]["reply"]["raw"] == "success"
    assert _content(simulate("click", openid="o_sim", key="DEALS")[1]) == "今日特价"
    db.session.expire_all()
    fan = db.session.scalar(select(Fan).where(Fan.openid == "o_sim"))
    assert fan.is_subscribed and fan.resubscribe_count == 1
    assert [t.event for t in db.session.scalars(select(SceneTouch))] == ["scan"]


def test_image_and_location_messages_through_the_sandbox(simulate):
    assert _content(simulate("image", openid="o_sim")[1]) == "图片收到"
    assert _content(simulate("location", openid="o_sim", latitude=23.13, longitude=113.26, label="广州")[1]) \
        == "位置收到"


def test_replaying_a_message_through_the_sandbox_gets_the_same_reply(simulate):
    first = simulate("text", openid="o_sim", content="你好", msg_id=424242, create_time=1_800_000_000)[1]
    again = simulate("text", openid="o_sim", content="你好", msg_id=424242, create_time=1_800_000_000)[1]
    assert _content(first) == _content(again) == "你好呀"
    assert first["reply"]["raw"] == again["reply"]["raw"]


def test_bad_simulate_input_is_refused_with_field_errors(simulate):
    status, result = simulate("text", openid="not an openid!", content="", mode="loud")
    assert status == 422
    assert set(result["error"]["fields"]) == {"openid", "content", "mode"}
