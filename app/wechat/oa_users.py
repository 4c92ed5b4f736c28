"""Official-account fans as WeChat knows them: `user/info`, for a following fan's unionid.

A follow push carries only the official-account openid. When the official account and the
mini-program are bound to one open-platform account, user/info gives the fan's unionid, the
same one the mini-program's login gives: what shows the two openids are one person.
"""

from __future__ import annotations

import logging

import redis

from app.wechat.clients import oa_client
from app.wechat.errors import WeChatError, wechat_call

log = logging.getLogger(__name__)

USER_INFO_TIMEOUT = 2.0  # asked while WeChat waits (5 s) for the push's answer


def fan_unionid(openid: str) -> str | None:
    """The fan's unionid, or None when WeChat gives none (not following, the account not bound
    to an open platform) or cannot be asked now: callers carry on without it."""
    try:
        with wechat_call("user/info"):
            info = oa_client().get("user/info", params={"openid": openid, "lang": "zh_CN"},
                                   timeout=USER_INFO_TIMEOUT)
    except WeChatError:
        return None
    except redis.RedisError as exc:  # the shared access token lives in Redis
        log.warning("user/info not asked: Redis unavailable (%s)", type(exc).__name__)
        return None
    unionid = info.get("unionid") if isinstance(info, dict) else None
    return unionid if isinstance(unionid, str) and 0 < len(unionid) <= 64 else None
