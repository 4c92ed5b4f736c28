"""Opening a WeChat Pay v3 notification: platform serial, freshness, signature, AES-256-GCM.

WeChat signs "timestamp\\nnonce\\nbody\\n" with the platform private key (SHA256-RSA2048) and
encrypts the resource with our APIv3 key (AEAD_AES_256_GCM, with its nonce and
associated_data). Anything that fails a check raises NotificationRejected with the HTTP
status to answer (4xx/5xx both make WeChat retry); the caller logs it and changes nothing.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.serialization import load_pem_public_key
from flask import current_app
from wechatpayv3.utils import aes_decrypt, rsa_verify

from app.wechat.pay import platform_key

MAX_SKEW_SECONDS = 300
MAX_BODY_BYTES = 64 * 1024  # a real notification is about 1 KB
SIGNATURE_TYPE = "WECHATPAY2-SHA256-RSA2048"


class NotificationRejected(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


@dataclass(frozen=True)
class Notification:
    id: str
    event_type: str
    resource: dict[str, Any]  # the decrypted resource, WeChat's own JSON


def _platform() -> tuple[Any, str]:
    cached = current_app.extensions.get("wechat_pay_platform_key")
    if cached is None:
        public_pem, serial = platform_key(current_app.config)
        cached = (load_pem_public_key(public_pem.encode()), serial)
        current_app.extensions["wechat_pay_platform_key"] = cached
    return cached


def _verified_text(headers: Mapping[str, str], body: bytes, now: float) -> str:
    public_key, serial = _platform()
    if headers.get("Wechatpay-Serial", "") != serial:
        raise NotificationRejected(401, "unknown platform serial")
    timestamp = headers.get("Wechatpay-Timestamp", "")
    if not timestamp.isdigit():
        raise NotificationRejected(401, "missing timestamp")
    if abs(now - int(timestamp)) > MAX_SKEW_SECONDS:
        raise NotificationRejected(401, "timestamp more than 5 minutes off")
    if headers.get("Wechatpay-Signature-Type", SIGNATURE_TYPE) != SIGNATURE_TYPE:
        raise NotificationRejected(401, "unsupported signature type")
    nonce, signature = headers.get("Wechatpay-Nonce", ""), headers.get("Wechatpay-Signature", "")
    try:
        text = body.decode("utf-8")
        valid = bool(nonce and signature) and rsa_verify(timestamp, nonce, text, signature, public_key)
    except Exception:  # not UTF-8, or a signature of the wrong shape
        valid = False
    if not valid:
        raise NotificationRejected(401, "signature does not verify")
    return text


def open_notification(headers: Mapping[str, str], body: bytes, *, original_type: str,
                      now: float | None = None) -> Notification:
    """Verify and decrypt; `original_type` is what this endpoint receives (transaction,
    refund or mch_payment)."""
    if len(body) > MAX_BODY_BYTES:
        raise NotificationRejected(413, "body too large")
    text = _verified_text(headers, body, time.time() if now is None else now)
    try:
        envelope = json.loads(text)
    except ValueError:
        envelope = None
    if not isinstance(envelope, dict):
        raise NotificationRejected(400, "body is not a JSON object")
    resource = envelope.get("resource")
    if envelope.get("resource_type") != "encrypt-resource" or not isinstance(resource, dict):
        raise NotificationRejected(400, "no encrypted resource")
    if resource.get("original_type") != original_type:
        raise NotificationRejected(400, f"not a {original_type} notification")
    if resource.get("algorithm") != "AEAD_AES_256_GCM":
        raise NotificationRejected(400, "unsupported algorithm")
    fields = [resource.get(name) for name in ("nonce", "ciphertext", "associated_data")]
    if not all(isinstance(value, str) for value in fields[:2]) or not fields[0] or not fields[1]:
        raise NotificationRejected(400, "incomplete resource")
    try:
        plaintext = aes_decrypt(nonce=fields[0], ciphertext=fields[1], associated_data=str(fields[2] or ""),
                                apiv3_key=current_app.config["WECHAT_PAY_APIV3_KEY"])
    except Exception:  # bad base64, wrong nonce length...
        plaintext = None
    if plaintext is None:
        # Signed by WeChat yet undecryptable: our APIv3 key is wrong. Our fault: 500, retried.
        raise NotificationRejected(500, "cannot decrypt the resource (check WECHAT_PAY_APIV3_KEY)")
    try:
        decrypted = json.loads(plaintext)
    except ValueError:
        decrypted = None
    if not isinstance(decrypted, dict):
        raise NotificationRejected(400, "decrypted resource is not a JSON object")
    return Notification(id=str(envelope.get("id", "")), event_type=str(envelope.get("event_type", "")),
                        resource=decrypted)
