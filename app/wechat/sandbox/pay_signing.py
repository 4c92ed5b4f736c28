"""WeChat Pay v3's signatures and encryption, done as WeChat does them, for the sandbox.

Requests from the merchant carry `Authorization: WECHATPAY2-SHA256-RSA2048 mchid=...,
nonce_str=...,signature=...,timestamp=...,serial_no=...`, a SHA256-RSA signature over
"METHOD\\nPATH?QUERY\\nTIMESTAMP\\nNONCE\\nBODY\\n" made with the merchant key. Answers and
notifications carry Wechatpay-Signature/-Timestamp/-Nonce/-Serial, a signature over
"TIMESTAMP\\nNONCE\\nBODY\\n" made with the platform key; notification resources are
encrypted with AEAD_AES_256_GCM under the APIv3 key.
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import time
import uuid
from datetime import datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.serialization import load_pem_private_key, load_pem_public_key
from flask import Response, current_app, request

from app.wechat.pay import BEIJING

PREFIX = "/sandbox/mch"
SCHEME = "WECHATPAY2-SHA256-RSA2048"
_FIELD = re.compile(r'(\w+)="([^"]*)"')


def _key(config_name: str, private: bool):
    cache = current_app.extensions.setdefault("wechat_sandbox_pay_keys", {})
    if config_name not in cache:
        with open(current_app.config[config_name], "rb") as pem:
            data = pem.read()
        cache[config_name] = load_pem_private_key(data, password=None) if private else load_pem_public_key(data)
    return cache[config_name]


def platform_private_key():
    return _key("SANDBOX_PLATFORM_PRIVATE_KEY_PATH", private=True)


def merchant_public_key():
    return _key("SANDBOX_MERCHANT_PUBLIC_KEY_PATH", private=False)


def sign(private_key, message: str) -> str:
    return base64.b64encode(private_key.sign(message.encode(), PKCS1v15(), SHA256())).decode()


def beijing_now() -> str:
    return datetime.now(BEIJING).isoformat(timespec="seconds")


def signature_error() -> str | None:
    """Why the current request's Authorization does not verify, or None if it does."""
    header = request.headers.get("Authorization", "")
    scheme, _, rest = header.partition(" ")
    fields = dict(_FIELD.findall(rest))
    if scheme != SCHEME or not {"mchid", "nonce_str", "signature", "timestamp", "serial_no"} <= fields.keys():
        return "Authorization 格式错误"
    config = current_app.config
    if fields["mchid"] != config["WECHAT_PAY_MCHID"]:
        return "商户号不存在"
    if fields["serial_no"] != config["WECHAT_PAY_CERT_SERIAL_NO"]:
        return "商户证书序列号有误"
    if not fields["timestamp"].isdigit() or abs(time.time() - int(fields["timestamp"])) > 300:
        return "请求时间戳已过期"
    path = request.path.removeprefix(PREFIX)
    if request.query_string:
        path += "?" + request.query_string.decode()
    message = (f"{request.method}\n{path}\n{fields['timestamp']}\n{fields['nonce_str']}\n"
               f"{request.get_data(as_text=True)}\n")
    try:
        merchant_public_key().verify(base64.b64decode(fields["signature"]), message.encode(), PKCS1v15(), SHA256())
    except (InvalidSignature, ValueError):
        return "签名错误，验签失败"
    return None


def signed_headers(body: str, *, private_key=None, serial: str | None = None, timestamp: int | None = None,
                   nonce: str | None = None) -> dict[str, str]:
    """The headers WeChat Pay puts on an answer or a notification (tests pass other keys,
    serials or times to forge one)."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    nonce = nonce or secrets.token_hex(16).upper()
    message = f"{timestamp}\n{nonce}\n{body}\n"
    return {
        "Wechatpay-Nonce": nonce,
        "Wechatpay-Signature": sign(private_key or platform_private_key(), message),
        "Wechatpay-Timestamp": str(timestamp),
        "Wechatpay-Serial": current_app.config["WECHAT_PAY_PUBLIC_KEY_ID"] if serial is None else serial,
        "Wechatpay-Signature-Type": SCHEME,
    }


def signed_response(payload: dict[str, Any] | None, status: int = 200) -> Response:
    body = "" if payload is None else json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    response = Response(body, status=status, content_type="application/json; charset=utf-8")
    response.headers.update(signed_headers(body))
    response.headers["Request-ID"] = uuid.uuid4().hex
    return response


def pay_error(status: int, code: str, message: str, field: str | None = None) -> Response:
    """WeChat Pay's error answer: {"code", "message"} (and "detail" naming a bad field)."""
    payload: dict[str, Any] = {"code": code, "message": message}
    if field:
        payload["detail"] = {"field": field, "location": "body", "issue": message}
    return signed_response(payload, status)


def encrypt_resource(plaintext: dict[str, Any], original_type: str, *, apiv3_key: str | None = None,
                     associated_data: str | None = None) -> dict[str, str]:
    key = (apiv3_key or current_app.config["WECHAT_PAY_APIV3_KEY"]).encode()
    nonce = secrets.token_hex(6)  # 12 characters, as WeChat's
    associated = original_type if associated_data is None else associated_data
    data = json.dumps(plaintext, ensure_ascii=False, separators=(",", ":")).encode()
    ciphertext = AESGCM(key).encrypt(nonce.encode(), data, associated.encode())
    return {"original_type": original_type, "algorithm": "AEAD_AES_256_GCM",
            "ciphertext": base64.b64encode(ciphertext).decode(), "associated_data": associated, "nonce": nonce}


def notification_body(event_type: str, summary: str, resource: dict[str, str]) -> str:
    return json.dumps({"id": str(uuid.uuid4()), "create_time": beijing_now(), "resource_type": "encrypt-resource",
                       "event_type": event_type, "summary": summary, "resource": resource},
                      ensure_ascii=False, separators=(",", ":"))
