"""The sandbox's mini-program APIs answer like WeChat, errors included; concurrent first
logins of one person still make one User."""

from __future__ import annotations

import threading

import pytest
import requests
from sqlalchemy import func, select

from app.accounts.models import User
from app.extensions import db
from app.wechat.clients import mp_client, oa_client


def _code2session(live_server, **overrides):
    config = live_server.app.config
    params = {"appid": config["WECHAT_MP_APPID"], "secret": config["WECHAT_MP_SECRET"],
              "js_code": "dev:zoe", "grant_type": "authorization_code", **overrides}
    return requests.get(f"{live_server.url}/sandbox/api/sns/jscode2session", params=params, timeout=5).json()


@pytest.mark.parametrize(("overrides", "errcode"), [
    ({"appid": "wx-someone-else"}, 40013), ({"secret": "wrong"}, 40125), ({"grant_type": "password"}, 40002),
    ({"js_code": "071aBcD"}, 40029), ({"js_code": ""}, 40029),
])
def test_code2session_refusals(live_server, overrides, errcode):
    assert _code2session(live_server, **overrides)["errcode"] == errcode


def test_a_dev_code_gives_a_stable_identity_and_works_once(live_server):
    first = _code2session(live_server, js_code="dev:zoe:1")
    again = _code2session(live_server, js_code="dev:zoe:1")
    fresh = _code2session(live_server, js_code="dev:zoe:2")
    assert again["errcode"] == 40163
    assert (first["openid"], first["unionid"]) == (fresh["openid"], fresh["unionid"])
    assert first["openid"] != _code2session(live_server, js_code="dev:yan")["openid"]


def _send(live_server, body, token=None):
    token = token or mp_client().access_token
    return requests.post(f"{live_server.url}/sandbox/api/cgi-bin/message/subscribe/send?access_token={token}",
                         json=body, timeout=5).json()


GOOD = {"touser": "oAbc", "template_id": "tpl-1", "data": {"thing1": {"value": "咖啡豆"}}}


@pytest.mark.parametrize(("change", "errcode"), [
    ({}, 0), ({"touser": ""}, 40003), ({"template_id": "has space"}, 40037),
    ({"data": {"thing1": {"value": "字" * 21}}}, 47003), ({"data": {"amount1": {"value": "12元5"}}}, 47003),
    ({"data": {"title1": {"value": "x"}}}, 47003), ({"data": {}}, 47003), ({"page": "/pages/x"}, 41030),
])
def test_subscribe_send_checks_like_wechat(live_app, live_server, change, errcode):
    assert _send(live_server, {**GOOD, **change})["errcode"] == errcode


def test_subscribe_send_needs_the_mini_programs_token(live_app, live_server):
    assert _send(live_server, GOOD, token="forged")["errcode"] == 40001
    assert _send(live_server, GOOD, token=oa_client().access_token)["errcode"] == 48001


def test_sent_messages_can_be_listed_for_curl(live_app, live_server):
    _send(live_server, GOOD)
    sent = requests.get(f"{live_server.url}/sandbox/dev/subscribe/sent", timeout=5).json()["sent"]
    assert sent == [{**GOOD, "page": None}]


def test_concurrent_first_logins_of_one_person_make_one_user(live_app, live_server):
    barrier, answers = threading.Barrier(6), []

    def login(index: int) -> None:
        barrier.wait()
        answers.append(requests.post(f"{live_server.url}/api/v1/auth/wx-login",
                                     json={"code": f"dev:quinn:{index}"}, timeout=30))

    threads = [threading.Thread(target=login, args=(index,)) for index in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert [answer.status_code for answer in answers] == [200] * 6
    assert len({answer.json()["user"]["id"] for answer in answers}) == 1
    assert db.session.scalar(select(func.count()).select_from(User)) == 1
