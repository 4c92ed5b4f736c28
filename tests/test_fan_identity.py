"""One person, one shopper, whatever the order they arrive in: a follow through an agent's QR
code, the mini-program, the official account's web login. The sandbox gives each of its
people one unionid across the official account and the mini-program (as WeChat does for
apps bound to one open-platform account); a follow asks WeChat's user/info for it, and the
agent's binding and fan reward are credited exactly once."""

from __future__ import annotations

import itertools

import pytest
import requests
from sqlalchemy import select

from app.accounts.models import User
from app.accounts.seed import seed_accounts
from app.distribution import binding, jobs
from app.distribution.agent_models import BindingEvent
from app.extensions import db
from app.members.services import change_points, wallet_of
from app.wechat.sandbox.identities import identity
from tests.distribution_helpers import agent, configure
from tests.wechat_flows import oauth_login, wx_login

_clock = itertools.count(1_830_000_000)


@pytest.fixture
def referrer(live_app):
    configure(fan_points=10)
    return agent("qr-agent")


def _push(live_server, action: str, **body) -> dict:
    answer = requests.post(f"{live_server.url}/sandbox/simulate/oa/{action}", json=body, timeout=30)
    assert answer.status_code == 200 and answer.json()["status"] == 200, answer.text
    return answer.json()


def _fan_openid(live_server, name: str) -> str:
    """The official-account openid of sandbox person `name` (as the console's simulator plays them)."""
    return identity(live_server.app.config["WECHAT_OA_APPID"], name, live_server.sandbox).openid


def _follow(live_server, name: str, scene: str | None = None, *, create_time: int | None = None) -> dict:
    body = {"openid": _fan_openid(live_server, name), "create_time": create_time or next(_clock)}
    return _push(live_server, "subscribe", **body, **({"scene": scene} if scene else {}))


def _users() -> list[User]:
    db.session.rollback()
    return [user for user in db.session.scalars(select(User).order_by(User.id)) if user.nickname != "qr-agent"]


def _credited(person: User, referrer: User) -> tuple[int | None, list[str], int]:
    """(who the person is bound to, the binding events, the agent's points)."""
    db.session.rollback()
    current = binding.binding_of(person.id)
    events = [row.action for row in db.session.scalars(select(BindingEvent).where(BindingEvent.user_id == person.id))]
    return (current.referrer_user_id if current else None), events, wallet_of(referrer.id).points


def _is_the_sandbox_person(user: User, app, name: str) -> None:
    mp, oa = identity(app.config["WECHAT_MP_APPID"], name), identity(app.config["WECHAT_OA_APPID"], name)
    assert (user.mp_openid, user.oa_openid, user.unionid) == (mp.openid, oa.openid, mp.unionid)


def test_the_sandbox_gives_a_follower_the_unionid_the_mini_program_login_gives(live_app, live_server):
    _follow(live_server, "amy")
    token = requests.post(f"{live_server.url}/sandbox/api/cgi-bin/stable_token", timeout=10, json={
        "grant_type": "client_credential", "appid": live_app.config["WECHAT_OA_APPID"],
        "secret": live_app.config["WECHAT_OA_SECRET"]}).json()["access_token"]
    ask = {"access_token": token, "openid": _fan_openid(live_server, "amy")}

    info = requests.get(f"{live_server.url}/sandbox/api/cgi-bin/user/info", params=ask, timeout=10).json()
    session = requests.get(f"{live_server.url}/sandbox/api/sns/jscode2session", timeout=10, params={
        "appid": live_app.config["WECHAT_MP_APPID"], "secret": live_app.config["WECHAT_MP_SECRET"],
        "js_code": "dev:amy:1", "grant_type": "authorization_code"}).json()

    assert info["subscribe"] == 1 and info["unionid"] == session["unionid"]
    _push(live_server, "unsubscribe", openid=ask["openid"], create_time=next(_clock))
    gone = requests.get(f"{live_server.url}/sandbox/api/cgi-bin/user/info", params=ask, timeout=10).json()
    assert gone == {"subscribe": 0, "openid": ask["openid"]}


def test_follow_through_an_agents_code_then_the_mini_program_is_one_shopper_bound_once(live_app, live_server,
                                                                                      referrer):
    _follow(live_server, "alice", f"agent_{referrer.id}")
    assert _credited(_users()[0], referrer) == (None, [], 10)  # the new follower earns the agent points; the bind waits

    wx_login(live_app.test_client(), "alice")

    [alice] = _users()
    _is_the_sandbox_person(alice, live_app, "alice")
    assert _credited(alice, referrer) == (referrer.id, ["bind"], 10)


def test_mini_program_then_follow_through_an_agents_code_is_one_shopper_bound_once(live_app, live_server,
                                                                                  referrer):
    wx_login(live_app.test_client(), "bella")

    _follow(live_server, "bella", f"agent_{referrer.id}")

    [bella] = _users()
    _is_the_sandbox_person(bella, live_app, "bella")
    assert _credited(bella, referrer) == (referrer.id, ["bind"], 10)


def test_web_login_then_follow_then_mini_program_is_one_shopper_bound_once(live_app, live_server, referrer):
    client = live_app.test_client()
    assert oauth_login(client, "cathy", scope="snsapi_base").status_code == 302  # no unionid from a base login

    _follow(live_server, "cathy", f"agent_{referrer.id}")
    wx_login(client, "cathy")

    [cathy] = _users()
    _is_the_sandbox_person(cathy, live_app, "cathy")
    assert _credited(cathy, referrer) == (referrer.id, ["bind"], 10)


def test_web_login_then_mini_program_then_follow_is_one_shopper_bound_once(live_app, live_server, referrer):
    client = live_app.test_client()
    assert oauth_login(client, "dora", scope="snsapi_base").status_code == 302
    wx_login(client, "dora")  # a second User for now: the base login gave no unionid

    _follow(live_server, "dora", f"agent_{referrer.id}")

    [dora] = _users()
    _is_the_sandbox_person(dora, live_app, "dora")
    assert _credited(dora, referrer) == (referrer.id, ["bind"], 10)


def test_mini_program_then_web_login_then_follow_is_one_shopper_bound_once(live_app, live_server, referrer):
    client = live_app.test_client()
    wx_login(client, "emma")
    assert oauth_login(client, "emma", scope="snsapi_base").status_code == 302  # no unionid: a second User

    _follow(live_server, "emma", f"agent_{referrer.id}")

    [emma] = _users()
    _is_the_sandbox_person(emma, live_app, "emma")
    assert _credited(emma, referrer) == (referrer.id, ["bind"], 10)


def test_a_repeated_follow_push_and_a_second_follow_credit_nothing_twice(live_app, live_server, referrer):
    moment = next(_clock)
    first = _follow(live_server, "fay", f"agent_{referrer.id}", create_time=moment)
    again = _follow(live_server, "fay", f"agent_{referrer.id}", create_time=moment)  # WeChat's retry
    assert again["reply"]["raw"] == first["reply"]["raw"]
    wx_login(live_app.test_client(), "fay")
    _push(live_server, "unsubscribe", openid=_fan_openid(live_server, "fay"), create_time=next(_clock))
    _follow(live_server, "fay", f"agent_{referrer.id}")  # follows again through the same code
    wx_login(live_app.test_client(), "fay")

    [fay] = _users()
    _is_the_sandbox_person(fay, live_app, "fay")
    assert _credited(fay, referrer) == (referrer.id, ["bind"], 10)


def test_dev_login_is_the_same_person_as_the_simulators_fan(live_app, live_server, referrer):
    client = live_app.test_client()
    assert client.post("/api/v1/auth/dev-login", json={"name": "xiaohua"}).status_code == 200

    _follow(live_server, "xiaohua", f"agent_{referrer.id}")

    [xiaohua] = _users()
    _is_the_sandbox_person(xiaohua, live_app, "xiaohua")
    assert _credited(xiaohua, referrer) == (referrer.id, ["bind"], 10)


def test_a_follow_answers_when_user_info_fails_and_a_later_scan_links_the_fan(live_app, live_server, referrer,
                                                                            monkeypatch):
    wx_login(live_app.test_client(), "gina")
    with monkeypatch.context() as outage:
        outage.setattr("app.wechat.sandbox.oa_api.owner_of", lambda *args: None)  # WeChat answers 40003
        followed = _follow(live_server, "gina", f"agent_{referrer.id}")
    assert followed["reply"]["raw"]  # the fan got the subscribe reply all the same
    shopper_id, follower_id = (user.id for user in _users())  # not linked yet

    _push(live_server, "scan", openid=_fan_openid(live_server, "gina"), scene=f"agent_{referrer.id}",
          create_time=next(_clock))

    [gina] = _users()
    assert gina.id == shopper_id
    _is_the_sandbox_person(gina, live_app, "gina")
    assert _credited(gina, referrer) == (referrer.id, ["bind"], 10)
    assert jobs.fold_follower_into_shopper(follower_id, gina.id) == []  # a replayed job does nothing
    assert _credited(gina, referrer) == (referrer.id, ["bind"], 10)


def test_a_follower_with_a_history_of_their_own_is_left_apart(app):
    follower, shopper = User(oa_openid="o_with_history"), User(mp_openid="m_shopper", unionid="u_shopper")
    db.session.add_all([follower, shopper])
    db.session.flush()
    change_points(follower.id, 5, kind="adjust", ref="t1", reason="test")  # a wallet of their own
    db.session.commit()

    assert jobs.fold_follower_into_shopper(follower.id, shopper.id) == []

    db.session.rollback()
    assert (db.session.get(User, follower.id).oa_openid, db.session.get(User, shopper.id).oa_openid) == \
        ("o_with_history", None)


def test_the_readmes_dev_login_as_xiaohua_is_the_seeded_shopper_and_the_simulators_fan(live_app, live_server, referrer):
    seed_accounts()
    db.session.commit()
    seeded = db.session.scalar(select(User).where(User.nickname == "张小花"))

    me = live_app.test_client().post("/api/v1/auth/dev-login", json={"name": "xiaohua"}).get_json()["user"]
    _follow(live_server, "xiaohua", f"agent_{referrer.id}")

    assert me["id"] == seeded.id
    db.session.rollback()
    _is_the_sandbox_person(db.session.get(User, seeded.id), live_app, "xiaohua")
    assert _credited(seeded, referrer)[:2] == (referrer.id, ["bind"])
