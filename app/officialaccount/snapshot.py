"""The configured replies and message mode, compiled once and kept in memory until the merchant changes them.

A message needs its reply inside WeChat's 5 seconds, and most are text: answering one must
not cost database queries or regex compilation. Each process keeps a compiled snapshot and
looks at one Redis counter, bumped after every committed change, at most once every
CHECK_INTERVAL seconds, to know when to rebuild it (and rebuilds at least every MAX_AGE
seconds, in case the counter was lost). The process that made a change rebuilds at once.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import current_app
from redis.exceptions import RedisError
from sqlalchemy import select

from app.extensions import db, redis_client
from app.officialaccount.message_modes import message_mode
from app.officialaccount.models import KeywordRule, SpecialReply

log = logging.getLogger(__name__)

VERSION_KEY = "oa:replies:version"
CHECK_INTERVAL = 1.0
MAX_AGE = 60.0
_lock = threading.Lock()


@dataclass(frozen=True)
class ReplySpec:
    kind: str
    content: dict


@dataclass(frozen=True)
class CompiledRule:
    rule_id: int
    priority: int
    matchers: tuple[Callable[[str], bool], ...]
    reply: ReplySpec

    def matches(self, text: str) -> bool:
        return any(matcher(text) for matcher in self.matchers)


@dataclass
class Snapshot:
    version: bytes | None
    built_at: float
    rules: tuple[CompiledRule, ...]
    special: dict[str, ReplySpec]
    message_mode: str  # which pushes the webhook accepts (message_modes.py)
    checked_at: float = 0.0

    def keyword_reply(self, text: str) -> ReplySpec | None:
        for rule in self.rules:
            if rule.matches(text):
                return rule.reply
        return None


def matcher(match: str, keyword: str) -> Callable[[str], bool]:
    """exact and contains ignore case and surrounding spaces; a regex is searched as written."""
    if match == "regex":
        return re.compile(keyword).search  # type: ignore[return-value]
    folded = keyword.strip().casefold()
    if match == "exact":
        return lambda text: text.strip().casefold() == folded
    return lambda text: folded in text.casefold()


def _build(version: bytes | None) -> Snapshot:
    rules = db.session.scalars(
        select(KeywordRule).where(KeywordRule.is_enabled.is_(True))
        .order_by(KeywordRule.priority.desc(), KeywordRule.id)).all()
    compiled = tuple(
        CompiledRule(rule.id, rule.priority,
                     tuple(matcher(k["match"], k["text"]) for k in rule.keywords),
                     ReplySpec(rule.kind, rule.content))
        for rule in rules)
    special = {row.slot: ReplySpec(row.kind, row.content) for row in db.session.scalars(
        select(SpecialReply).where(SpecialReply.is_enabled.is_(True)))}
    return Snapshot(version, time.monotonic(), compiled, special, message_mode())


def current() -> Snapshot:
    """This process's snapshot, rebuilt when the shared version moved or it got old."""
    now = time.monotonic()
    cached: Snapshot | None = current_app.extensions.get("oa_reply_snapshot")
    if cached is not None and now - cached.checked_at < CHECK_INTERVAL and now - cached.built_at < MAX_AGE:
        return cached
    try:
        version = redis_client.get(VERSION_KEY)
    except RedisError:  # answer from what we have; MAX_AGE still brings changes in
        version = cached.version if cached is not None else None
    if cached is not None and cached.version == version and now - cached.built_at < MAX_AGE:
        cached.checked_at = now
        return cached
    with _lock:
        snapshot = _build(version)
        snapshot.checked_at = now
        current_app.extensions["oa_reply_snapshot"] = snapshot
    return snapshot


def bump_version() -> None:
    """Tell every process to rebuild (this one at once); called after a change commits."""
    current_app.extensions.pop("oa_reply_snapshot", None)
    try:
        redis_client.incr(VERSION_KEY)
    except RedisError:
        log.warning("Redis unavailable: other processes see the new replies within %ss", int(MAX_AGE))
