"""What the fake WeChat remembers: issued tokens, codes, sent messages, payments.

Kept in the app's Redis (a real one in production mode, fakeredis in the embedded mode), so
every gunicorn worker of a staging setup sees the same fake WeChat: a payment one worker
prepared can be paid through another. Each record is one JSON value under its own key (with
a TTL where WeChat's thing expires) plus an index that keeps the records' order; changes that
two workers could race run as Redis transactions (WATCH/MULTI, retried) or Lua scripts.
"""

from __future__ import annotations

import json
import secrets
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import redis
from flask import Flask

PREFIX = "fenxiao:sandbox:"

# KEYS: the appid's token key, the new token's reverse key; ARGV: new token, ttl ms, force, appid
_ISSUE_TOKEN = """
local current = redis.call('GET', KEYS[1])
if current and ARGV[3] == '0' then
  return {current, redis.call('PTTL', KEYS[1])}
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('SET', KEYS[2], ARGV[4], 'PX', ARGV[2])
return {ARGV[1], tonumber(ARGV[2])}
"""


@dataclass
class IssuedToken:
    value: str
    expires_at: float


class Area(Mapping):
    """One kind of record (payments, menus, codes…): key -> JSON value, in the order added."""

    def __init__(self, state: SandboxState, name: str) -> None:
        self._state, self.name = state, name
        self._index = f"{PREFIX}{name}"

    @property
    def _redis(self) -> redis.Redis:
        return self._state.redis

    def key(self, key: str) -> str:
        return f"{PREFIX}{self.name}:{key}"

    def __getitem__(self, key: str) -> Any:
        raw = self._redis.get(self.key(key))
        if raw is None:
            raise KeyError(key)
        return json.loads(raw)

    def _live_keys(self) -> list[tuple[str, bytes]]:
        keys = [k.decode() for k in self._redis.zrange(self._index, 0, -1)]
        values = self._redis.mget([self.key(k) for k in keys]) if keys else []
        gone = [k for k, v in zip(keys, values, strict=True) if v is None]
        if gone:  # expired: drop them from the index too
            self._redis.zrem(self._index, *gone)
        return [(k, v) for k, v in zip(keys, values, strict=True) if v is not None]

    def __iter__(self) -> Iterator[str]:
        return iter([k for k, _v in self._live_keys()])

    def __len__(self) -> int:
        return len(self._live_keys())

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and bool(self._redis.exists(self.key(key)))

    def items(self) -> list[tuple[str, Any]]:  # type: ignore[override]
        return [(k, json.loads(v)) for k, v in self._live_keys()]

    def values(self) -> list[Any]:  # type: ignore[override]
        return [value for _k, value in self.items()]

    def put(self, key: str, value: Any, ttl: float | None = None) -> None:
        with self._redis.pipeline() as pipe:
            self._write(pipe, key, value, ttl)
            pipe.execute()

    def add(self, key: str, value: Any, ttl: float | None = None) -> bool:
        """Store `value` unless the key holds one already; whether it was stored."""
        stored = self._redis.set(self.key(key), json.dumps(value), nx=True,
                                 px=int(ttl * 1000) if ttl else None)
        if stored:
            self._redis.zadd(self._index, {key: self._state.next_sequence()}, nx=True)
        return bool(stored)

    def take(self, key: str) -> Any | None:
        """Remove and return the value (None if there was none): single use across workers."""
        with self._redis.pipeline() as pipe:  # MULTI/EXEC: one worker gets it
            pipe.get(self.key(key))
            pipe.delete(self.key(key))
            pipe.zrem(self._index, key)
            raw, _deleted, _removed = pipe.execute()
        return json.loads(raw) if raw is not None else None

    def delete(self, key: str) -> None:
        self.take(key)

    def _write(self, pipe, key: str, value: Any, ttl: float | None) -> None:
        pipe.set(self.key(key), json.dumps(value), px=int(ttl * 1000) if ttl else None)
        pipe.zadd(self._index, {key: self._state.next_sequence()}, nx=True)

    def change(self, key: str, decide: Callable[[Any | None], tuple[Any, Any]], ttl: float | None = None) -> Any:
        """Read-modify-write one record atomically: `decide(current or None)` returns (its
        result, the new value or None to leave it); re-run if another worker changed it."""
        return self._state.atomically([(self, key)], lambda values: _single(decide(values[0]), self, key, ttl))


def _single(decision: tuple[Any, Any], area: Area, key: str, ttl: float | None):
    result, new_value = decision
    return result, ([] if new_value is None else [(area, key, new_value, ttl)])


class CallCounts(Mapping):
    """How many times each API was called (0 for one never called), across workers."""

    def __init__(self, state: SandboxState) -> None:
        self._state = state
        self._key = f"{PREFIX}calls"

    def add(self, api: str) -> None:
        self._state.redis.hincrby(self._key, api, 1)

    def __getitem__(self, api: str) -> int:
        return int(self._state.redis.hget(self._key, api) or 0)

    def __contains__(self, api: object) -> bool:
        return isinstance(api, str) and bool(self._state.redis.hexists(self._key, api))

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(k.decode() for k in self._state.redis.hkeys(self._key)))

    def __len__(self) -> int:
        return int(self._state.redis.hlen(self._key))


class Records(Mapping):
    """records[area] — the areas by name, for the sandbox modules and for tests to read."""

    def __init__(self, state: SandboxState) -> None:
        self._state = state
        self._areas: dict[str, Area] = {}

    def __getitem__(self, name: str) -> Any:
        if name == "subscribe":
            return self._state.subscribe_records()
        if name not in self._areas:
            self._areas[name] = Area(self._state, name)
        return self._areas[name]

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._areas))

    def __len__(self) -> int:
        return len(self._areas)


class SandboxState:
    """The sandbox's memory, shared by every process on the app's Redis."""

    def __init__(self, app: Flask) -> None:
        self._app = app
        self.calls = CallCounts(self)
        self.records = Records(self)
        self._issue = None

    @property
    def redis(self) -> redis.Redis:
        return self._app.extensions["redis"]

    def next_sequence(self) -> int:
        return int(self.redis.incr(f"{PREFIX}sequence"))

    def count(self, api: str) -> None:
        self.calls.add(api)

    def atomically(self, entries: list[tuple[Area, str]],
                   decide: Callable[[list[Any | None]], tuple[Any, list[tuple[Area, str, Any, float | None]]]]):
        """Read the (area, key) records, let `decide` answer (result, writes), write them all
        or, when another worker changed one of them meanwhile, start again (WATCH/MULTI)."""
        keys = [area.key(key) for area, key in entries]
        with self.redis.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(*keys)
                    raws = pipe.mget(keys)
                    result, writes = decide([json.loads(raw) if raw is not None else None for raw in raws])
                    pipe.multi()
                    for area, key, value, ttl in writes:
                        area._write(pipe, key, value, ttl)
                    pipe.execute()
                    return result
                except redis.WatchError:
                    continue

    # -- access tokens -------------------------------------------------------------------
    def _token_key(self, appid: str) -> str:
        return f"{PREFIX}token:{appid}"

    def _reverse_key(self, token: str) -> str:
        return f"{PREFIX}token-of:{token}"

    def issue_token(self, appid: str, *, force: bool = False, ttl: int = 7200) -> IssuedToken:
        """stable_token semantics: the same token until it expires, unless forced; one token
        per appid however many workers ask at once."""
        if self._issue is None:
            self._issue = self.redis.register_script(_ISSUE_TOKEN)
        candidate = secrets.token_urlsafe(48)
        value, ttl_ms = self._issue(keys=[self._token_key(appid), self._reverse_key(candidate)],
                                    args=[candidate, ttl * 1000, "1" if force else "0", appid])
        value = value.decode() if isinstance(value, bytes) else value
        return IssuedToken(value, time.time() + int(ttl_ms) / 1000)

    def token_is_valid(self, appid: str, token: str | None) -> bool:
        return bool(token) and self.appid_for_token(token) == appid

    def appid_for_token(self, token: str | None) -> str | None:
        """The appid whose current token this is (an older, replaced one is not)."""
        if not token:
            return None
        appid = self.redis.get(self._reverse_key(token))
        if appid is None:
            return None
        appid = appid.decode()
        current = self.redis.get(self._token_key(appid))
        return appid if current is not None and current.decode() == token else None

    def expire_token(self, appid: str) -> None:
        """Simulate WeChat invalidating a token early (the next call gets 40001)."""
        self.redis.delete(self._token_key(appid))

    # -- subscribe messages --------------------------------------------------------------
    def record_sent(self, message: dict) -> None:
        self.redis.rpush(f"{PREFIX}subscribe:sent", json.dumps(message))

    def set_refusing(self, openid: str, refuse: bool) -> bool:
        key = f"{PREFIX}subscribe:refusing"
        (self.redis.sadd if refuse else self.redis.srem)(key, openid)
        return bool(self.redis.sismember(key, openid))

    def is_refusing(self, openid: str) -> bool:
        return bool(self.redis.sismember(f"{PREFIX}subscribe:refusing", openid))

    def subscribe_records(self) -> dict[str, Any]:
        """{"sent": [messages, oldest first], "refusing": {openids}}."""
        sent = [json.loads(raw) for raw in self.redis.lrange(f"{PREFIX}subscribe:sent", 0, -1)]
        refusing = {raw.decode() for raw in self.redis.smembers(f"{PREFIX}subscribe:refusing")}
        return {"sent": sent, "refusing": refusing}
