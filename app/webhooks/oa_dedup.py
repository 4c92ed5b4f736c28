"""WeChat pushes a message again when our answer is slow (up to three retries in ~15 s).

A push that changes something (a fan, a scene touch, a call to the merchant's server) is
claimed in Redis first (SET NX with a TTL); the delivery holding the claim does the work and
stores the exact bytes it answered. A retry finds the claim and gets those same bytes, so
side effects happen once; a retry racing the first delivery waits briefly for its answer.
A push that only reads (most text messages) needs no claim: its answer is derived from the
message alone (see OaCrypto.seal), so a retry is answered with the same bytes anyway.
"""

from __future__ import annotations

import logging
import time

from redis.exceptions import RedisError

from app.extensions import redis_client

log = logging.getLogger(__name__)

TTL_SECONDS = 30 * 60
PENDING = b"\x00pending"
_PREFIX = "oa:push:"


def claim(identity: str) -> bool:
    """True for the first delivery of this message; False for a retry.

    Without Redis the message is handled anyway: the fan's event clock and the scene touch's
    unique key still keep a retry from counting twice, and a fan still gets an answer."""
    try:
        return bool(redis_client.set(_PREFIX + identity, PENDING, nx=True, ex=TTL_SECONDS))
    except RedisError:
        log.warning("Redis unavailable: handling push %s without a retry claim", identity)
        return True


def remember(identity: str, answer: bytes) -> None:
    try:
        redis_client.set(_PREFIX + identity, answer, ex=TTL_SECONDS)
    except RedisError:
        log.warning("Redis unavailable: the answer to push %s is not kept for retries", identity)


def release(identity: str) -> None:
    """Forget a claim whose work failed, so a retry can do it."""
    try:
        redis_client.delete(_PREFIX + identity)
    except RedisError:
        log.warning("Redis unavailable: the claim on push %s expires by itself", identity)


def recall(identity: str, *, wait: float = 2.0, step: float = 0.05) -> bytes | None:
    """The answer given to the first delivery, waiting up to `wait` seconds if it is still working."""
    deadline = time.monotonic() + wait
    while True:
        try:
            answer = redis_client.get(_PREFIX + identity)
        except RedisError:
            return None
        if answer != PENDING:
            return answer
        if time.monotonic() >= deadline:
            return None
        time.sleep(step)
