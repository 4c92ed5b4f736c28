"""JS-SDK for official-account web pages: the jsapi_ticket and the wx.config signature.

Like the access_token, the jsapi_ticket has a small daily quota, so it lives in Redis for
every process and is fetched by one process at a time under a Redis lock.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
import time
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _

from app.core.errors import ValidationError
from app.wechat.clients import oa_client
from app.wechat.errors import wechat_call
from app.wechat.tokens import LOCK_TIMEOUT, SAFETY_MARGIN, SharedTokenClient

log = logging.getLogger(__name__)


def _ticket_key(appid: str) -> str:
    return f"fenxiao:wechat:{appid}:jsapi_ticket"


def jsapi_ticket(client: SharedTokenClient | None = None) -> str:
    """The shared jsapi_ticket; only one process fetches it when it is missing."""
    client = client or oa_client()
    cached = client.redis.get(_ticket_key(client.appid))
    if cached:
        return cached.decode()
    with client.redis.lock(f"fenxiao:wechat:{client.appid}:jsapi-ticket-lock", timeout=LOCK_TIMEOUT,
                           blocking_timeout=LOCK_TIMEOUT):
        cached = client.redis.get(_ticket_key(client.appid))
        if cached:  # another process fetched it while we waited for the lock
            return cached.decode()
        log.info("fetching jsapi_ticket for %s", client.appid)
        with wechat_call("ticket/getticket"):
            result = client.jsapi.get_ticket("jsapi")
        ttl = max(60, int(result.get("expires_in", 7200)) - SAFETY_MARGIN)
        client.redis.set(_ticket_key(client.appid), result["ticket"], ex=ttl)
        return result["ticket"]


def sign(*, ticket: str, noncestr: str, timestamp: int | str, url: str) -> str:
    """WeChat's JS-SDK signature: sha1 over the four fields sorted by name, values unescaped."""
    text = f"jsapi_ticket={ticket}&noncestr={noncestr}&timestamp={timestamp}&url={url}"
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def allowed_hosts() -> set[str]:
    config = current_app.config
    public_host = (urlsplit(config["PUBLIC_BASE_URL"]).hostname or "").lower()
    return {public_host, *config.get("WECHAT_JSSDK_DOMAINS", [])} - {""}


def check_page_url(url: str) -> None:
    """Only our own pages get a signature: http(s), an allowed host, no fragment."""
    try:
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
    except ValueError:
        parts, host = None, ""
    if parts is None or parts.scheme not in ("http", "https") or not host:
        problem = _("Must be an http:// or https:// address.")
    elif "#" in url:
        problem = _("Leave out the # and everything after it.")
    elif host not in allowed_hosts():
        problem = _("This address is not one of our pages.")
    else:
        return
    raise ValidationError(_("Some fields are invalid."), fields={"url": problem}, code="page_url_refused")


def config_for(url: str) -> dict[str, str | int]:
    """What a page passes to wx.config (plus its jsApiList)."""
    check_page_url(url)
    client = oa_client()
    timestamp = int(time.time())
    noncestr = secrets.token_urlsafe(12)
    signature = sign(ticket=jsapi_ticket(client), noncestr=noncestr, timestamp=timestamp, url=url)
    return {"appId": client.appid, "timestamp": timestamp, "nonceStr": noncestr, "signature": signature}
