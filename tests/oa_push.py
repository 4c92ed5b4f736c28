"""Build official-account pushes the way WeChat does, independently of the app's own code.

Tests sign and encrypt with wechatpy and plain sha1 here, so the webhook is checked against
WeChat's algorithms rather than against the sandbox's implementation of them.
"""

from __future__ import annotations

import hashlib
import itertools
import time
from urllib.parse import urlencode

import xmltodict
from wechatpy.crypto import PrpCrypto, WeChatCrypto

ORIGINAL_ID = "gh_0123456789ab"
_ids = itertools.count(int(time.time()) * 1000)
_times = itertools.count(int(time.time()))


def sha1(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode("utf-8")).hexdigest()


def _xml(fields: dict) -> str:
    nodes = "".join(f"<{k}>{v}</{k}>" if isinstance(v, int) else f"<{k}><![CDATA[{v}]]></{k}>"
                    for k, v in fields.items())
    return f"<xml>{nodes}</xml>"


def text(openid: str, content: str, *, msg_id: int | None = None) -> str:
    return _xml({"ToUserName": ORIGINAL_ID, "FromUserName": openid, "CreateTime": next(_times),
                 "MsgType": "text", "Content": content, "MsgId": msg_id or next(_ids)})


def message(openid: str, msg_type: str, **fields) -> str:
    return _xml({"ToUserName": ORIGINAL_ID, "FromUserName": openid, "CreateTime": next(_times),
                 "MsgType": msg_type, **fields, "MsgId": next(_ids)})


def event(openid: str, name: str, key: str | None = None, *, create_time: int | None = None) -> str:
    fields = {"ToUserName": ORIGINAL_ID, "FromUserName": openid, "CreateTime": create_time or next(_times),
              "MsgType": "event", "Event": name}
    if key is not None:
        fields["EventKey"] = key
    return _xml(fields)


def set_mode(mode: str) -> None:
    """The merchant sets the official account's message mode, as in the console."""
    from app.audit.services import SYSTEM
    from app.extensions import db
    from app.officialaccount import settings

    settings.save_message_mode(SYSTEM, mode)
    db.session.commit()


def signed(config, xml: str, mode: str = "safe", *, timestamp: str | None = None,
           nonce: str = "1234567890") -> tuple[str, bytes]:
    """(query string, body) for a push in plain, compatible or safe mode."""
    token, key, appid = config["WECHAT_OA_TOKEN"], config["WECHAT_OA_ENCODING_AES_KEY"], config["WECHAT_OA_APPID"]
    timestamp = timestamp or str(int(time.time()))
    query = {"signature": sha1(token, timestamp, nonce), "timestamp": timestamp, "nonce": nonce, "openid": "o"}
    if mode == "plain":
        return urlencode(query), xml.encode()
    encrypted = PrpCrypto(WeChatCrypto(token, key, appid).key).encrypt(xml, appid).decode()
    plain_fields = xmltodict.parse(xml)["xml"]
    outer = {"ToUserName": plain_fields["ToUserName"]} if mode == "safe" else dict(plain_fields)
    body = _xml({**outer, "Encrypt": encrypted})
    query.update(encrypt_type="aes", msg_signature=sha1(token, timestamp, nonce, encrypted))
    return urlencode(query), body.encode()


def post(client, config, xml: str, mode: str = "safe"):
    query, body = signed(config, xml, mode)
    return client.post(f"/wechat/oa?{query}", data=body, content_type="text/xml")


def reply_of(config, response, mode: str = "safe") -> dict | None:
    """The reply a fan would see, as a dict (None for "success"); checks the reply's signature."""
    raw = response.get_data(as_text=True)
    if raw == "success":
        return None
    if mode == "plain":
        return xmltodict.parse(raw)["xml"]
    outer = xmltodict.parse(raw)["xml"]
    token = config["WECHAT_OA_TOKEN"]
    assert outer["MsgSignature"] == sha1(token, outer["TimeStamp"], outer["Nonce"], outer["Encrypt"])
    crypto = WeChatCrypto(token, config["WECHAT_OA_ENCODING_AES_KEY"], config["WECHAT_OA_APPID"])
    return xmltodict.parse(crypto.decrypt_message(outer, outer["MsgSignature"], outer["TimeStamp"],
                                                  outer["Nonce"]))["xml"]
