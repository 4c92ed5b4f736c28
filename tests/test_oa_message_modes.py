"""WeChat's three message modes, exactly: plain accepts plaintext pushes, compatible accepts both,
safe accepts only encrypted pushes whose msg_signature verifies — so a captured push URL cannot
be replayed with invented plaintext messages."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.extensions import db
from app.members.services import wallet_of
from app.officialaccount.models import Fan, SceneTouch
from tests import oa_push
from tests.distribution_helpers import agent, configure

# what WeChat sends in each of its modes: (oa_push's layout, sent encrypted)
PUSHES = {"plaintext": "plain", "encrypted with plaintext beside": "compatible", "encrypted only": "safe"}
ACCEPTED = {
    "plain": {"plaintext"},
    "compatible": {"plaintext", "encrypted with plaintext beside", "encrypted only"},
    "safe": {"encrypted with plaintext beside", "encrypted only"},
}


def _fans() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Fan))


def _forge(query: str, part: str) -> str:
    """The query with `part` (signature or msg_signature) replaced by another sha1-shaped value."""
    return urlencode({**dict(parse_qsl(query)), part: "0" * 40})


@pytest.mark.parametrize("mode", ["plain", "compatible", "safe"])
@pytest.mark.parametrize("push", list(PUSHES))
def test_each_mode_accepts_exactly_the_pushes_wechat_sends_in_it(app, client, mode, push):
    oa_push.set_mode(mode)
    query, body = oa_push.signed(app.config, oa_push.event("o_fan", "subscribe", ""), PUSHES[push])

    response = client.post(f"/wechat/oa?{query}", data=body, content_type="text/xml")

    if push in ACCEPTED[mode]:
        assert response.status_code == 200 and _fans() == 1
    else:
        assert response.status_code == 403 and _fans() == 0


@pytest.mark.parametrize("mode", ["plain", "compatible", "safe"])
@pytest.mark.parametrize("push", list(PUSHES))
def test_a_push_with_a_forged_url_signature_is_refused_in_every_mode(app, client, mode, push):
    oa_push.set_mode(mode)
    query, body = oa_push.signed(app.config, oa_push.event("o_mallory", "subscribe", ""), PUSHES[push])

    response = client.post(f"/wechat/oa?{_forge(query, 'signature')}", data=body, content_type="text/xml")

    assert response.status_code == 403 and _fans() == 0


@pytest.mark.parametrize("mode", ["compatible", "safe"])
@pytest.mark.parametrize("push", ["encrypted with plaintext beside", "encrypted only"])
def test_an_encrypted_push_with_a_forged_msg_signature_is_refused(app, client, mode, push):
    oa_push.set_mode(mode)
    query, body = oa_push.signed(app.config, oa_push.event("o_mallory", "subscribe", ""), PUSHES[push])

    response = client.post(f"/wechat/oa?{_forge(query, 'msg_signature')}", data=body, content_type="text/xml")

    assert response.status_code == 403 and _fans() == 0


@pytest.mark.parametrize(("mode", "push"), [("compatible", "plaintext"), ("compatible", "encrypted only"),
                                            ("safe", "encrypted only"), ("plain", "plaintext")])
def test_the_reply_is_encrypted_exactly_when_the_push_was(app, client, mode, push):
    from app.officialaccount import replies

    replies.set_special_reply("default", "text", {"content": "默认回复"})
    oa_push.set_mode(mode)

    response = oa_push.post(client, app.config, oa_push.text("o_fan", "在吗"), PUSHES[push])

    assert ("<Encrypt>" in response.get_data(as_text=True)) is (push != "plaintext")
    assert oa_push.reply_of(app.config, response, PUSHES[push])["Content"] == "默认回复"


def test_in_safe_mode_a_captured_push_url_replayed_with_invented_followers_earns_no_points(app, client):
    """The issue's replay: three plaintext subscribe events through an agent's code, each under
    the URL signature of a captured push, with invented openids."""
    configure(fan_points=10)
    referrer = agent("replayed")
    oa_push.set_mode("safe")
    captured, _ = oa_push.signed(app.config, "", "plain")

    answers = [client.post(f"/wechat/oa?{captured}", content_type="text/xml",
                           data=oa_push.event(f"o_invented_{index}", "subscribe", f"qrscene_agent_{referrer.id}"))
               for index in range(3)]

    assert [answer.status_code for answer in answers] == [403, 403, 403]
    db.session.expire_all()
    assert wallet_of(referrer.id).points == 0
    assert db.session.scalar(select(func.count()).select_from(SceneTouch)) == 0
    assert db.session.scalar(select(func.count()).select_from(User).where(User.oa_openid.like("o_invented_%"))) == 0


def test_without_an_encoding_aes_key_the_default_mode_is_plain(make_app):
    app = make_app(WECHAT_SANDBOX=False, WECHAT_OA_TOKEN="tok", WECHAT_OA_ENCODING_AES_KEY="", WECHAT_OA_APPID="wx1")
    config = {"WECHAT_OA_TOKEN": "tok", "WECHAT_OA_ENCODING_AES_KEY": "", "WECHAT_OA_APPID": "wx1"}
    query, body = oa_push.signed(config, oa_push.text("o_fan", "在吗"), "plain")

    response = app.test_client().post(f"/wechat/oa?{query}", data=body, content_type="text/xml")

    assert response.status_code == 200
