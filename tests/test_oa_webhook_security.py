"""Only pushes signed with our token (and, encrypted, for our appid) are read; bad input changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.extensions import db
from app.officialaccount.models import Fan, SceneTouch
from tests import oa_push


def _nothing_written(app) -> bool:
    counts = [db.session.scalar(select(func.count()).select_from(model)) for model in (Fan, SceneTouch, User)]
    return counts == [0, 0, 0] and not app.extensions["redis"].keys("oa:push:*")


def test_url_verification_echoes_echostr_when_signed_with_our_token(app, client):
    token = app.config["WECHAT_OA_TOKEN"]
    response = client.get("/wechat/oa", query_string={
        "signature": oa_push.sha1(token, "1700000000", "42"), "timestamp": "1700000000", "nonce": "42",
        "echostr": "5837197366484165"})
    assert response.status_code == 200 and response.get_data(as_text=True) == "5837197366484165"


def test_url_verification_with_a_wrong_signature_is_403(client):
    response = client.get("/wechat/oa", query_string={
        "signature": "0" * 40, "timestamp": "1700000000", "nonce": "42", "echostr": "x"})
    assert response.status_code == 403 and "x" not in response.get_data(as_text=True)


@pytest.mark.parametrize("mode", ["plain", "compatible", "safe"])
def test_a_push_with_a_wrong_signature_is_403_and_changes_nothing(app, client, mode):
    query, body = oa_push.signed(app.config, oa_push.event("o_mallory", "subscribe", ""), mode)
    forged = query.replace("signature=", "signature=f", 1)
    response = client.post(f"/wechat/oa?{forged}", data=body, content_type="text/xml")
    assert response.status_code == 403
    assert _nothing_written(app)


@pytest.mark.parametrize("mode", ["compatible", "safe"])
def test_an_encrypted_push_with_a_wrong_msg_signature_is_403(app, client, mode):
    query, body = oa_push.signed(app.config, oa_push.event("o_mallory", "subscribe", ""), mode)
    head, _, tail = query.partition("msg_signature=")
    response = client.post(f"/wechat/oa?{head}msg_signature={'0' * 40}{tail[40:]}", data=body,
                           content_type="text/xml")
    assert response.status_code == 403
    assert _nothing_written(app)


def test_a_push_encrypted_for_another_appid_is_403(app, client):
    other = {**app.config, "WECHAT_OA_APPID": "wx0000000000000000"}
    query, body = oa_push.signed(other, oa_push.event("o_mallory", "subscribe", ""), "safe")
    response = client.post(f"/wechat/oa?{query}", data=body, content_type="text/xml")
    assert response.status_code == 403
    assert _nothing_written(app)


@pytest.mark.parametrize("body", [b"hello, not xml", b"{\"MsgType\": \"text\"}", b"<xml><MsgType>text</Msg",
                                  b"\xff\xfe\x00binary", b"<notxml/>"])
def test_a_signed_body_that_is_not_a_wechat_message_is_400(app, client, body):
    oa_push.set_mode("plain")
    query, _ = oa_push.signed(app.config, "", "plain")
    response = client.post(f"/wechat/oa?{query}", data=body, content_type="text/xml")
    assert response.status_code == 400
    assert _nothing_written(app)


def test_an_encrypted_push_whose_ciphertext_is_garbage_is_400(app, client):
    token = app.config["WECHAT_OA_TOKEN"]
    encrypted = "bm90IGEgY2lwaGVydGV4dA=="
    query = (f"signature={oa_push.sha1(token, '1700000000', '7')}&timestamp=1700000000&nonce=7&encrypt_type=aes"
             f"&msg_signature={oa_push.sha1(token, '1700000000', '7', encrypted)}")
    body = f"<xml><ToUserName><![CDATA[gh_x]]></ToUserName><Encrypt><![CDATA[{encrypted}]]></Encrypt></xml>"
    response = client.post(f"/wechat/oa?{query}", data=body, content_type="text/xml")
    assert response.status_code == 400
    assert _nothing_written(app)


def test_xml_with_entity_declarations_is_refused(app, client):
    oa_push.set_mode("plain")
    bomb = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
            '<xml><ToUserName>gh</ToUserName><FromUserName>o_x</FromUserName><CreateTime>1</CreateTime>'
            '<MsgType>text</MsgType><Content>&b;</Content><MsgId>1</MsgId></xml>')
    query, _ = oa_push.signed(app.config, "", "plain")
    response = client.post(f"/wechat/oa?{query}", data=bomb, content_type="text/xml")
    assert response.status_code == 400


def test_an_oversized_body_is_413_and_changes_nothing(app, client):
    oa_push.set_mode("plain")
    huge = oa_push.text("o_mallory", "长" * 40_000)
    query, body = oa_push.signed(app.config, huge, "plain")
    response = client.post(f"/wechat/oa?{query}", data=body, content_type="text/xml")
    assert response.status_code == 413
    assert _nothing_written(app)


def test_an_encrypted_push_without_a_configured_aes_key_is_refused(make_app):
    """Without an EncodingAESKey only plain mode can work: an encrypted push is not one it accepts."""
    app = make_app(WECHAT_SANDBOX=False, WECHAT_OA_TOKEN="tok", WECHAT_OA_ENCODING_AES_KEY="",
                   WECHAT_OA_APPID="wx1")
    query = f"signature={oa_push.sha1('tok', '1700000000', '7')}&timestamp=1700000000&nonce=7&encrypt_type=aes" \
            f"&msg_signature={'0' * 40}"
    response = app.test_client().post(f"/wechat/oa?{query}", data=b"<xml><Encrypt>x</Encrypt></xml>")
    assert response.status_code == 403


@pytest.mark.parametrize("body", [b"hello, not xml", b"<xml><ToUserName>gh</ToUserName></xml>",
                                  b"<xml><Encrypt><![CDATA[a]]></Encrypt><Encrypt><![CDATA[b]]></Encrypt></xml>"])
def test_an_encrypted_push_without_one_readable_encrypt_element_is_400(app, client, body):
    token = app.config["WECHAT_OA_TOKEN"]
    query = (f"signature={oa_push.sha1(token, '1700000000', '7')}&timestamp=1700000000&nonce=7&encrypt_type=aes"
             f"&msg_signature={'0' * 40}")
    response = client.post(f"/wechat/oa?{query}", data=body, content_type="text/xml")
    assert response.status_code == 400
    assert _nothing_written(app)
