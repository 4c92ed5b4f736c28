"""WeChat's three message modes (消息加解密方式): which pushes the webhook accepts.

plain (明文模式): plaintext pushes only, signed with the token in the URL. compatible (兼容模式):
plaintext or encrypted. safe (安全模式): encrypted only, each with a msg_signature over its
ciphertext; a plaintext push, however well its URL is signed, is refused, so a captured push
URL cannot be replayed with invented messages. The merchant sets here the mode set on
mp.weixin.qq.com (settings.py); the webhook reads it from the reply snapshot.
"""

from __future__ import annotations

from flask import current_app

from app.extensions import db
from app.officialaccount.settings_models import MESSAGE_MODES, OaSettings

__all__ = ["MESSAGE_MODES", "SETTINGS_ID", "accepts", "default_mode", "message_mode"]

SETTINGS_ID = 1


def default_mode() -> str:
    """Before the merchant chooses: safe when an EncodingAESKey is configured (nothing
    replayable is accepted), else plain (the only mode that works without one)."""
    return "safe" if current_app.config.get("WECHAT_OA_ENCODING_AES_KEY") else "plain"


def message_mode() -> str:
    """The mode in force, read from the database."""
    row = db.session.get(OaSettings, SETTINGS_ID)
    return row.message_mode if row is not None else default_mode()


def accepts(mode: str, *, encrypted: bool) -> bool:
    """Whether WeChat sends such a push (encrypted or plaintext) in `mode`."""
    return mode == "compatible" or (mode == "safe") == encrypted
