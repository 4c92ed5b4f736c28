"""/wechat/oa: the official account's message push (GET to verify the URL, POST messages).

Answers inside WeChat's 5 seconds, always with 200 for anything signed with our token, sent
the way the merchant's message mode allows (officialaccount/message_modes.py) and readable:
the reply XML (encrypted when the push was), or "success" for no reply. A bad signature, or a
push the mode does not accept (a plaintext one in safe mode), gets 403; a body that is not a
readable WeChat message gets 400 or 413; nothing is written for any of them, and all are logged
without the body.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from flask import Blueprint, Response, request
from wechatpy import parse_message
from wechatpy.messages import BaseMessage
from werkzeug.exceptions import RequestEntityTooLarge

from app.core import after_commit
from app.extensions import db
from app.officialaccount import inbound, snapshot
from app.officialaccount.message_modes import accepts
from app.webhooks import oa_dedup
from app.wechat.oa_crypto import BadEnvelope, BadSignature, oa_crypto

log = logging.getLogger(__name__)

bp = Blueprint("wechat_oa", __name__, url_prefix="/wechat")

MAX_BODY_BYTES = 64 * 1024  # a pushed message is a few hundred bytes
NO_REPLY = b"success"


def _plain(body: bytes | str, status: int = 200) -> Response:
    return Response(body, status=status, mimetype="text/plain")


def _refused(status: int, reason: str) -> Response:
    log.warning("official-account push refused (%d): %s", status, reason)
    return _plain({403: "forbidden", 400: "bad request", 413: "too large"}.get(status, "refused"), status)


@bp.get("/oa")
def verify_url():
    """WeChat's server configuration check: echo `echostr` if the signature is ours."""
    args = request.args
    try:
        oa_crypto().check_url(args.get("signature", ""), args.get("timestamp", ""), args.get("nonce", ""))
    except BadSignature as exc:
        return _refused(403, str(exc))
    return _plain(args.get("echostr", ""))


@dataclass(frozen=True)
class _Push:
    message: BaseMessage
    xml: str  # plaintext, whatever the mode
    identity: str
    created: int | None
    encrypted: bool


class _Refused(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status


@bp.post("/oa")
def receive():
    try:
        push = _read_push()
    except _Refused as refusal:
        return _refused(refusal.status, str(refusal))
    try:
        plan = inbound.plan(push.message, push.xml)
    except Exception:
        log.exception("official-account push %s could not be planned; answered with no reply", push.identity)
        return _plain(NO_REPLY)
    if plan.once and not oa_dedup.claim(push.identity):
        return _retry_answer(push.identity)
    try:
        reply = plan.run()
        if _has_work_to_commit():
            db.session.commit()
    except Exception:
        db.session.rollback()
        if plan.once:
            oa_dedup.release(push.identity)
        log.exception("official-account push %s failed; answered with no reply", push.identity)
        return _plain(NO_REPLY)
    answer = _seal(reply, push)
    if plan.once:
        oa_dedup.remember(push.identity, answer)
    return _response(answer)


def _read_push() -> _Push:
    """The signed, size-checked, decrypted and parsed push, or _Refused (403, 413 or 400)."""
    args = request.args
    timestamp, nonce = args.get("timestamp", ""), args.get("nonce", "")
    crypto = oa_crypto()
    try:
        crypto.check_url(args.get("signature", ""), timestamp, nonce)
    except BadSignature as exc:
        raise _Refused(403, str(exc)) from exc
    encrypted = args.get("encrypt_type", "raw").lower() == "aes"
    mode = snapshot.current().message_mode
    if not accepts(mode, encrypted=encrypted):
        raise _Refused(403, f"{'encrypted' if encrypted else 'plaintext'} push in {mode} mode")
    if (request.content_length or 0) > MAX_BODY_BYTES:
        raise _Refused(413, f"body of {request.content_length} bytes")
    request.max_content_length = MAX_BODY_BYTES
    try:
        body = request.get_data(cache=False)
    except RequestEntityTooLarge as exc:
        raise _Refused(413, "body larger than its declared length allows") from exc
    try:
        xml = crypto.open(body, msg_signature=args.get("msg_signature", "") if encrypted else None,
                          timestamp=timestamp, nonce=nonce)
        message = parse_message(xml)
        return _Push(message, xml, inbound.identity(message), message.time, encrypted)
    except BadSignature as exc:
        raise _Refused(403, str(exc)) from exc
    except Exception as exc:  # BadEnvelope, or XML wechatpy cannot read: nothing to act on
        reason = str(exc) if isinstance(exc, BadEnvelope) else f"unreadable message ({type(exc).__name__})"
        raise _Refused(400, reason) from exc


def _has_work_to_commit() -> bool:
    """A reply that only read the cached replies opened no session: nothing to commit."""
    if not db.session.registry.has():
        return False
    session = db.session()
    return session.in_transaction() or bool(after_commit.pending(session))


def _seal(reply: str, push: _Push) -> bytes:
    """The answer's bytes; a retry of a message that only reads gets these same bytes again,
    because both the reply and its sealing are derived from the message, not the clock."""
    if reply == "success" or not push.encrypted:
        return reply.encode("utf-8")
    timestamp = str(push.created or int(time.time()))
    return oa_crypto().seal(reply, identity=push.identity, timestamp=timestamp).encode("utf-8")


def _response(answer: bytes) -> Response:
    if answer.startswith(b"<"):
        return Response(answer, mimetype="application/xml")
    return _plain(answer)


def _retry_answer(identity: str) -> Response:
    """A retry of a message already handled: the same bytes, and no second side effect."""
    answer = oa_dedup.recall(identity)
    if answer is None:
        log.info("official-account push %s is still being handled; answered this retry with no reply", identity)
        return _plain(NO_REPLY)
    return _response(answer)
