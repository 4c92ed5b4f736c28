"""Our webhook opens and answers the sample encrypted message WeChat publishes.

The values below are WeChat's own: the sample from the official account's message
encryption documentation ("消息加解密说明", developers.weixin.qq.com/doc/offiaccount/
Message_Management/Message_encryption_and_decryption_instructions.html), shipped in its
downloadable WXBizMsgCrypt sample code (Python `Sample.py`, jonyqin, 2014) and reproduced
verbatim in many ports, e.g. github.com/wegostudio/wego tests/crypto/tests.py and
github.com/charlesXu86/Chatbot_CN Chatbot_Web/impl/weixin/Sample.py. Only `signature`
(sha1 of token, timestamp and nonce, which the sample does not list) is computed here.
The sample body carries both the plaintext fields and <Encrypt>: compatible mode.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from app.extensions import db
from app.officialaccount import replies
from tests import oa_push

TOKEN = "spamtest"
ENCODING_AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"
APPID = "wx2c2769f8efd9abc2"
TIMESTAMP = "1409735669"
NONCE = "1320562132"
MSG_SIGNATURE = "5d197aaffba7e9b25a30732f161a50dee96bd5fa"
FROM_XML = (
    "<xml><ToUserName><![CDATA[gh_10f6c3c3ac5a]]></ToUserName><FromUserName><![CDATA[oyORnuP8q7ou2gfYjqLzSIWZf0rs]]>"
    "</FromUserName><CreateTime>1409735668</CreateTime><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[abcdteT]]>"
    "</Content><MsgId>6054768590064713728</MsgId><Encrypt><![CDATA[hyzAe4OzmOMbd6TvGdIOO6uBmdJoD0Fk53REIHvxYtJlE2B655H"
    "uD0m8KUePWB3+LrPXo87wzQ1QLvbeUgmBM4x6F8PGHQHFVAFmOD2LdJF9FrXpbUAh0B5GIItb52sn896wVsMSHGuPE328HnRGBcrS7C41IzDWyWN"
    "lZkyyXwon8T332jisa+h6tEDYsVticbSnyU8dKOIbgU6ux5VTjg3yt+WGzjlpKn6NPhRjpA912xMezR4kw6KWwMrCVKSVCZciVGCgavjIQ6X8tCO"
    "p3yZbGpy0VxpAe+77TszTfRd5RJSVO/HTnifJpXgCSUdUue1v6h0EIBYYI1BD1DlD+C0CR8e6OewpusjZ4uBl9FyJvnhvQl+q5rv1ixrcpCumEPo5"
    "MJSgM9ehVsNPfUM669WuMyVWQLCzpu9GhglF2PE=]]></Encrypt></xml>"
)
CONFIG = {"WECHAT_OA_TOKEN": TOKEN, "WECHAT_OA_ENCODING_AES_KEY": ENCODING_AES_KEY, "WECHAT_OA_APPID": APPID}


@pytest.fixture
def official_app(make_app):
    """An app configured with the sample's account (not the sandbox's credentials)."""
    app = make_app(WECHAT_SANDBOX=False, **CONFIG)
    with app.app_context():
        yield app


def _query(msg_signature: str = MSG_SIGNATURE) -> str:
    return urlencode({"signature": oa_push.sha1(TOKEN, TIMESTAMP, NONCE), "timestamp": TIMESTAMP, "nonce": NONCE,
                      "openid": "oyORnuP8q7ou2gfYjqLzSIWZf0rs", "encrypt_type": "aes",
                      "msg_signature": msg_signature})


def test_the_official_sample_is_decrypted_and_answered(official_app):
    replies.create_keyword_rule(name="sample", keywords=[{"text": "abcdteT", "match": "exact"}], kind="text",
                                content={"content": "收到 abcdteT"})
    db.session.commit()

    response = official_app.test_client().post(f"/wechat/oa?{_query()}", data=FROM_XML, content_type="text/xml")

    assert response.status_code == 200
    reply = oa_push.reply_of(CONFIG, response, "compatible")
    assert reply["Content"] == "收到 abcdteT"  # the keyword matched the decrypted Content
    assert reply["ToUserName"] == "oyORnuP8q7ou2gfYjqLzSIWZf0rs"
    assert reply["FromUserName"] == "gh_10f6c3c3ac5a"


def test_the_official_sample_with_its_msg_signature_altered_is_403(official_app):
    altered = MSG_SIGNATURE[:-1] + ("0" if MSG_SIGNATURE[-1] != "0" else "1")
    response = official_app.test_client().post(f"/wechat/oa?{_query(altered)}", data=FROM_XML,
                                               content_type="text/xml")
    assert response.status_code == 403
