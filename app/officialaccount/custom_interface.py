"""Forward a fan's message to the merchant's own server (自定义接口) and take its reply.

The only outbound call made while WeChat waits for our answer, so it is bounded twice: socket
timeouts, and a deadline on the whole exchange (a server that drips bytes cannot hold us).
What comes back must be a passive reply addressed to the same fan, or it is not used.
"""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

import requests
import xmltodict

log = logging.getLogger(__name__)

TIMEOUT = 3.0
MAX_ANSWER_BYTES = 64 * 1024
REPLY_TYPES = frozenset({"text", "image", "voice", "video", "music", "news", "transfer_customer_service"})
NO_REPLY = "success"

_pool = ThreadPoolExecutor(max_workers=16, thread_name_prefix="oa-forward")


class BadAnswer(Exception):
    pass


def _post(url: str, xml: str, timeout: float) -> bytes:
    with requests.post(url, data=xml.encode("utf-8"), timeout=(timeout, timeout), stream=True,
                       allow_redirects=False, headers={"Content-Type": "text/xml; charset=utf-8"}) as response:
        if response.status_code != 200:
            raise BadAnswer(f"HTTP {response.status_code}")
        body = response.raw.read(MAX_ANSWER_BYTES + 1, decode_content=True)
    if len(body) > MAX_ANSWER_BYTES:
        raise BadAnswer("answer too large")
    return body


def checked_reply(body: bytes, openid: str) -> str:
    """The merchant's answer if it is a passive reply to `openid` ("success" means no reply)."""
    text = body.decode("utf-8").strip()
    if text in ("", NO_REPLY):
        return NO_REPLY
    try:
        root = xmltodict.parse(text)["xml"]
    except Exception as exc:
        raise BadAnswer("not XML") from exc
    if not isinstance(root, dict) or root.get("MsgType") not in REPLY_TYPES:
        raise BadAnswer("not a passive reply")
    if root.get("ToUserName") != openid:
        raise BadAnswer("addressed to someone else")
    return text


def forward(url: str, xml: str, openid: str, *, timeout: float = TIMEOUT) -> str | None:
    """The merchant's reply, or None when it is late, failing or not a reply to this fan."""
    future = _pool.submit(_post, url, xml, timeout)
    try:
        return checked_reply(future.result(timeout=timeout), openid)
    except FutureTimeout:
        log.warning("custom interface did not answer within %.1fs; using the fallback", timeout)
    except Exception as exc:  # any failure of the merchant's server is answered by the fallback
        reason = str(exc) if isinstance(exc, BadAnswer) else type(exc).__name__
        log.warning("custom interface failed (%s); using the fallback", reason)
    return None
