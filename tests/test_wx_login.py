"""Mini-program login through code2session, one User per person, and the phone number."""

from __future__ import annotations

from sqlalchemy import func, select

from app.accounts.models import User
from app.extensions import db
from app.wechat.sandbox.identities import dev_phone, identity
from tests.wechat_flows import oauth_login, wx_login


def _users() -> list[User]:
    db.session.expire_all()
    return list(db.session.scalars(select(User).order_by(User.id)))


def test_wx_login_creates_the_user_and_answers_a_working_token(live_app):
    client = live_app.test_client()

    response = wx_login(client, "alice", nickname="爱丽丝", avatar_url="https://example.com/a.png")

    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {body['token']}"}).get_json()
    assert me["id"] == body["user"]["id"] and me["nickname"] == "爱丽丝"
    expected = identity(live_app.config["WECHAT_MP_APPID"], "alice")
    [user] = _users()
    assert (user.mp_openid, user.unionid, user.oa_openid) == (expected.openid, expected.unionid, None)
    assert user.avatar_url == "https://example.com/a.png"


def test_logging_in_again_finds_the_same_user(live_app):
    client = live_app.test_client()
    first = wx_login(client, "bob").get_json()
    second = wx_login(client, "bob").get_json()
    assert first["user"]["id"] == second["user"]["id"]
    assert len(_users()) == 1


def test_official_account_fan_then_mini_program_is_one_user(live_app):
    client = live_app.test_client()
    assert oauth_login(client, "carol", nickname="卡罗").status_code == 302

    body = wx_login(client, "carol").get_json()

    [user] = _users()
    assert body["user"]["id"] == user.id
    assert user.oa_openid and user.mp_openid and user.nickname == "卡罗"


def test_mini_program_then_official_account_fan_is_one_user(live_app):
    client = live_app.test_client()
    user_id = wx_login(client, "dave").get_json()["user"]["id"]

    assert oauth_login(client, "dave").status_code == 302

    [user] = _users()
    assert user.id == user_id and user.oa_openid and user.mp_openid


def test_two_people_stay_two_users(live_app):
    client = live_app.test_client()
    wx_login(client, "erin")
    oauth_login(client, "frank")
    assert len(_users()) == 2


def test_a_code_that_is_not_a_wechat_code_is_refused_clearly(live_app):
    response = live_app.test_client().post("/api/v1/auth/wx-login", json={"code": "not-a-real-code"})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "wechat_code_invalid"
    assert db.session.scalar(select(func.count()).select_from(User)) == 0


def test_a_used_code_is_refused_clearly(live_app):
    client = live_app.test_client()
    assert client.post("/api/v1/auth/wx-login", json={"code": "dev:gina:once"}).status_code == 200
    again = client.post("/api/v1/auth/wx-login", json={"code": "dev:gina:once"})
    assert again.status_code == 400
    assert again.get_json()["error"]["code"] == "wechat_code_invalid"


def test_a_missing_code_is_a_field_error(live_app):
    response = live_app.test_client().post("/api/v1/auth/wx-login", json={})
    assert response.status_code == 422
    assert "code" in response.get_json()["error"]["fields"]


def test_wechat_unreachable_is_a_502_not_a_500(make_app):
    app = make_app(WECHAT_SANDBOX=False, WECHAT_MP_APPID="wx0000000000000001", WECHAT_MP_SECRET="s",
                   WECHAT_API_BASE_URL="http://127.0.0.1:9", WECHAT_HTTP_TIMEOUT=2)
    response = app.test_client().post("/api/v1/auth/wx-login", json={"code": "081abc"})
    assert response.status_code == 502
    assert response.get_json()["error"]["code"] == "wechat_error"


def test_phone_number_code_stores_the_number(live_app):
    client = live_app.test_client()
    token = wx_login(client, "henry").get_json()["token"]

    response = client.post("/api/v1/me/phone", json={"code": "dev:henry:phone"},
                           headers={"Authorization": f"Bearer {token}"})

    assert response.status_code == 200, response.get_json()
    assert response.get_json()["has_phone"] is True
    [user] = _users()
    assert user.phone == dev_phone("henry") and user.phone.startswith("1") and len(user.phone) == 11


def test_a_bad_phone_code_is_refused_and_changes_nothing(live_app):
    client = live_app.test_client()
    token = wx_login(client, "iris").get_json()["token"]
    response = client.post("/api/v1/me/phone", json={"code": "forged"}, headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "wechat_code_invalid"
    assert _users()[0].phone is None


def test_phone_number_needs_a_login(live_app):
    response = live_app.test_client().post("/api/v1/me/phone", json={"code": "dev:x"})
    assert response.status_code == 401
