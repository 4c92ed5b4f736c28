"""Official-account web pages log shoppers in through WeChat's web OAuth, safely."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import requests
from sqlalchemy import func, select

from app.accounts.models import User
from app.extensions import db
from app.wechat.sandbox.identities import identity
from tests.wechat_flows import consent, oauth_login, path_of, query_of, start_oauth


def _user_count() -> int:
    return db.session.scalar(select(func.count()).select_from(User))


def test_authorize_sends_the_browser_to_wechat_with_a_state(live_app):
    consent_url = start_oauth(live_app.test_client(), "snsapi_base", "/orders")

    assert consent_url.startswith(live_app.config["WECHAT_OPEN_BASE_URL"] + "/connect/oauth2/authorize?")
    assert consent_url.endswith("#wechat_redirect")
    query = query_of(consent_url)
    assert query["appid"] == live_app.config["WECHAT_OA_APPID"]
    assert query["redirect_uri"] == live_app.config["PUBLIC_BASE_URL"] + "/wechat/oauth/callback"
    assert query["scope"] == "snsapi_base" and len(query["state"]) >= 24


def test_userinfo_login_creates_the_fan_logs_in_and_returns_to_next(live_app):
    client = live_app.test_client()

    response = oauth_login(client, "lily", next_path="/orders?tab=paid", nickname="莉莉")

    assert response.status_code == 302 and response.headers["Location"] == "/orders?tab=paid"
    user = db.session.scalars(select(User)).one()
    expected = identity(live_app.config["WECHAT_OA_APPID"], "lily")
    assert (user.oa_openid, user.unionid, user.nickname) == (expected.openid, expected.unionid, "莉莉")
    assert user.avatar_url == expected.avatar_url
    with client.session_transaction() as session:
        assert session["shopper_id"] == user.id


def test_base_scope_knows_only_the_openid(live_app):
    response = oauth_login(live_app.test_client(), "mike", scope="snsapi_base")
    assert response.status_code == 302
    user = db.session.scalars(select(User)).one()
    assert user.oa_openid and user.unionid is None and user.nickname == ""


def test_a_callback_with_another_state_is_refused(live_app):
    client = live_app.test_client()
    callback = consent(client, start_oauth(client), "nina")
    forged = path_of(callback).replace("state=", "state=forged")

    response = client.get(forged)

    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "oauth_state_mismatch"
    assert _user_count() == 0


def test_a_callback_nobody_started_is_refused(live_app):
    other_browser = live_app.test_client()
    callback = consent(live_app.test_client(), start_oauth(live_app.test_client()), "oscar")
    response = other_browser.get(path_of(callback))
    assert response.status_code == 403
    assert _user_count() == 0


def test_a_state_is_good_for_one_callback(live_app):
    client = live_app.test_client()
    callback = path_of(consent(client, start_oauth(client), "pete"))
    assert client.get(callback).status_code == 302
    assert client.get(callback).status_code == 403


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/path", "/\\evil.example", "javascript:alert(1)", "evil.example",
    "/ok\r\nSet-Cookie: x=1",
])
def test_next_must_be_a_path_on_our_site(live_app, target):
    response = live_app.test_client().get("/wechat/oauth/authorize", query_string={"next": target})
    assert response.status_code == 422
    assert "next" in response.get_json()["error"]["fields"]


def test_an_unknown_scope_is_refused(live_app):
    response = live_app.test_client().get("/wechat/oauth/authorize", query_string={"scope": "snsapi_login"})
    assert response.status_code == 422
    assert "scope" in response.get_json()["error"]["fields"]


def test_a_declined_authorization_is_a_clear_refusal(live_app):
    client = live_app.test_client()
    state = query_of(start_oauth(client))["state"]
    response = client.get(f"/wechat/oauth/callback?state={state}")
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "oauth_declined"


def test_the_sandbox_refuses_a_redirect_to_another_domain(live_app):
    client = live_app.test_client()
    query = query_of(start_oauth(client))
    response = client.get("/sandbox/open/connect/oauth2/authorize", query_string={
        **query, "redirect_uri": "https://evil.example/cb"})
    assert response.status_code == 400 and response.get_json()["errcode"] == 10003


def _readme_oauth_tip() -> str:
    """The browser link the README's WeChat sandbox section tells a developer to open."""
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    return re.search(r"\$BASE(/wechat/oauth/authorize\?\S+)", readme)[1]


def test_the_readme_oauth_tip_logs_the_browser_in_as_the_named_dev_user(live_server):
    browser = requests.Session()

    landed = browser.get(live_server.url + _readme_oauth_tip(), timeout=10)

    assert landed.status_code == 200 and landed.url.partition("#")[0] == live_server.url + "/"
    assert [hop.status_code for hop in landed.history] == [302, 302, 302]
    with live_server.app.app_context():
        user = db.session.scalars(select(User)).one()
        assert user.oa_openid == identity(live_server.app.config["WECHAT_OA_APPID"], "alice").openid


def test_dev_user_is_not_handed_to_real_wechat(make_app):
    app = make_app(WECHAT_SANDBOX=False, WECHAT_OA_APPID="wx0123456789abcdef", WECHAT_OA_SECRET="s",
                   WECHAT_OPEN_BASE_URL="https://open.weixin.qq.com")

    response = app.test_client().get("/wechat/oauth/authorize?scope=snsapi_base&dev_user=alice")

    assert response.status_code == 302 and "dev_user" not in response.headers["Location"]
