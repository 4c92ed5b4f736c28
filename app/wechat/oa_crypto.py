"""Official-account message push: signatures and the AES envelope, through wechatpy.

Plaintext mode signs the URL only (sha1 of token, timestamp, nonce). Compatible and safe
modes (`encrypt_type=aes`) add `msg_signature` over the ciphertext, encrypt with the
EncodingAESKey, and expect the reply encrypted the same way. Plain values in, plain out.

The AES work is wechatpy's PrpCrypto (WeChat's WXBizMsgCrypt scheme), built once per app:
WeChatCrypto would build a new cipher for every message, a cost paid on every push.

A sealed reply is deterministic: the 16 bytes WeChat's scheme leaves to the sender (random
in wechatpy) and the reply's nonce are derived from the key, the message's identity and the
reply, so answering WeChat's retry of a message again gives the very same bytes without
storing them anywhere; two different replies never share them.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
import string

import xmltodict
from flask import current_app
from wechatpy.crypto import PrpCrypto, WeChatCrypto
from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException
from wechatpy.utils import check_signature

log = logging.getLogger(__name__)

# wechatpy's encrypted-reply layout (WeChatCrypto.encrypt_message), filled in without re-parsing.
_SEALED = """<xml>
<Encrypt><![CDATA[{encrypt}]]></Encrypt>
<MsgSignature><![CDATA[{signature}]]></MsgSignature>
<TimeStamp>{timestamp}</TimeStamp>
<Nonce><![CDATA[{nonce}]]></Nonce>
</xml>"""


_ENCRYPT = re.compile(r"<Encrypt><!\[CDATA\[([A-Za-z0-9+/=]+)\]\]></Encrypt>")
_ALPHABET = string.ascii_letters + string.digits  # what wechatpy's random prefix is drawn from


class _SealingPrp(PrpCrypto):
    """wechatpy's PrpCrypto with the app's cipher and a given prefix instead of a random one."""

    def __init__(self, shared: PrpCrypto, prefix: str) -> None:  # no new cipher per message
        self.cipher, self._prefix = shared.cipher, prefix

    def get_random_string(self) -> str:
        return self._prefix


class BadSignature(Exception):
    """Not signed with our token (or not for our appid): answered with 403."""


class BadEnvelope(Exception):
    """Signed, but not a message we can open: answered with 400."""


class OaCrypto:
    def __init__(self, token: str, encoding_aes_key: str, appid: str) -> None:
        self.token = token
        self.appid = appid
        self._aes: PrpCrypto | None = None
        self._key = b""
        if encoding_aes_key:
            try:
                self._key = WeChatCrypto(token, encoding_aes_key, appid).key
                self._aes = PrpCrypto(self._key)
            except (AssertionError, ValueError):
                log.error("WECHAT_OA_ENCODING_AES_KEY is not a 43-character EncodingAESKey: encrypted pushes "
                          "will be refused")

    def check_url(self, signature: str, timestamp: str, nonce: str) -> None:
        """The `signature` WeChat puts on every push (and on the GET verification)."""
        if not (self.token and signature and timestamp and nonce):
            raise BadSignature("missing signature parameters")
        try:
            check_signature(self.token, signature.lower(), timestamp, nonce)
        except InvalidSignatureException as exc:
            raise BadSignature("signature does not match") from exc

    def open(self, body: bytes, *, msg_signature: str | None, timestamp: str, nonce: str) -> str:
        """The message's plaintext XML; `msg_signature` given means it came encrypted."""
        if msg_signature is None:
            return _text(body)
        if self._aes is None:
            raise BadEnvelope("encrypted push but no EncodingAESKey is configured")
        ciphertext = _ciphertext(_text(body))
        expected = _sha1_signature(self.token, timestamp, nonce, ciphertext)
        if not hmac.compare_digest(expected, msg_signature.lower()):
            raise BadSignature("msg_signature does not match")
        try:
            return self._aes.decrypt(ciphertext, self.appid)
        except InvalidAppIdException as exc:
            raise BadSignature("encrypted for another appid") from exc
        except Exception as exc:  # bad base64, bad padding, bad length: not WeChat's ciphertext
            raise BadEnvelope("ciphertext does not decrypt") from exc

    def seal(self, reply_xml: str, *, identity: str, timestamp: str) -> str:
        """The reply encrypted and signed the way WeChat expects in compatible and safe modes;
        the same (identity, timestamp, reply) always seals to the same bytes."""
        if self._aes is None:
            raise BadEnvelope("no EncodingAESKey is configured")
        digest = hmac.new(self._key, f"{identity}\n{timestamp}\n{reply_xml}".encode(), hashlib.sha256).digest()
        prefix = "".join(_ALPHABET[byte % len(_ALPHABET)] for byte in digest[:16])
        nonce = str(int.from_bytes(digest[16:24], "big") % 10**10)
        encrypt = _SealingPrp(self._aes, prefix).encrypt(reply_xml, self.appid).decode("ascii")
        return _SEALED.format(encrypt=encrypt, signature=_sha1_signature(self.token, timestamp, nonce, encrypt),
                              timestamp=timestamp, nonce=nonce)


def _sha1_signature(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode("utf-8")).hexdigest()


def _text(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadEnvelope("body is not UTF-8") from exc


def _ciphertext(text: str) -> str:
    """The <Encrypt> value. WeChat's own layout is matched directly (it is on every encrypted
    push); anything else is parsed as XML. Only this value is signed, by msg_signature."""
    found = _ENCRYPT.findall(text)
    if len(found) == 1:
        return found[0]
    encrypt = parse_root(text).get("Encrypt")
    if not isinstance(encrypt, str):
        raise BadEnvelope("no Encrypt element")
    return encrypt


def parse_root(text: str) -> dict:
    """The <xml> element of a pushed message as a dict, or BadEnvelope."""
    try:
        root = xmltodict.parse(text)["xml"]  # entity declarations are refused (disable_entities)
    except Exception as exc:
        raise BadEnvelope("body is not WeChat XML") from exc
    if not isinstance(root, dict):
        raise BadEnvelope("body is not WeChat XML")
    return root


def oa_crypto() -> OaCrypto:
    """This app's crypto, built once (the key is decoded once, not per message)."""
    crypto = current_app.extensions.get("wechat_oa_crypto")
    if crypto is None:
        config = current_app.config
        crypto = OaCrypto(config["WECHAT_OA_TOKEN"], config["WECHAT_OA_ENCODING_AES_KEY"],
                          config["WECHAT_OA_APPID"])
        current_app.extensions["wechat_oa_crypto"] = crypto
    return crypto
