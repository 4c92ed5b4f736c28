"""Shopper tokens: issued by the sandbox dev login, accepted until revoked."""

from __future__ import annotations

from app.accounts.models import User
from app.accounts.services import dev_person
from app.extensions import db
from app.members import services as members


def test_dev_login_creates_the_named_user_once(client):
    first = client.post("/api/v1/auth/dev-login", json={"name": "alice", "nickname": "爱丽丝"}).get_json()
    second = client.post("/api/v1/auth/dev-login", json={"name": "alice"}).get_json()
    assert first["user"]["id"] == second["user"]["id"]
    assert second["user"]["nickname"] == "爱丽丝"
    assert first["expires_in"] > 0


def test_token_identifies_the_user(client, login):
    headers = login("carol")
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 200
    assert response.get_json()["nickname"] == "carol"


def test_bumping_the_token_version_revokes_old_tokens(client, login):
    headers = login("dave")
    user = db.session.query(User).filter_by(mp_openid=dev_person("dave")[0]).one()
    user.token_version += 1
    db.session.commit()
    assert client.get("/api/v1/me", headers=headers).status_code == 401


def test_dev_login_does_not_exist_outside_the_sandbox(make_app):
    app = make_app(WECHAT_SANDBOX=False)
    response = app.test_client().post("/api/v1/auth/dev-login", json={"name": "alice"})
    assert response.status_code == 404
    with app.app_context():
        assert db.session.query(User).count() == 0


def test_a_token_signed_with_another_key_is_rejected(make_app, login, client):
    headers = login("erin")
    other = make_app(SECRET_KEY="another-secret-key-entirely")
    assert other.test_client().get("/api/v1/me", headers=headers).status_code == 401


def test_me_shows_points_and_store_balance(client, login):
    headers = login("erin")
    before = client.get("/api/v1/me", headers=headers).get_json()
    assert (before["points"], before["balance_fen"]) == (0, 0)  # no wallet yet
    user = db.session.query(User).filter_by(mp_openid=dev_person("erin")[0]).one()
    members.change_balance(user.id, 1250, kind="adjust", ref="t1", reason="test")
    members.change_points(user.id, 30, kind="adjust", ref="t1", reason="test")
    db.session.commit()
    me = client.get("/api/v1/me", headers=headers).get_json()
    assert (me["points"], me["balance_fen"]) == (30, 1250)
