"""What the fake WeChat remembers: issued tokens, codes, sent messages, payments.

In memory, one per app: the sandbox serves the single-process demo and the tests.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any


@dataclass
class IssuedToken:
    value: str
    expires_at: float


@dataclass
class SandboxState:
    lock: threading.RLock = field(default_factory=threading.RLock)
    # appid -> the currently valid access token (what stable_token returns until it expires)
    tokens: dict[str, IssuedToken] = field(default_factory=dict)
    # counters a test can read: how many times each API was called
    calls: defaultdict[str, int] = field(default_factory=lambda: defaultdict(int))
    # free-form records per area (menus, messages, payments, …), owned by the modules using them
    records: defaultdict[str, Any] = field(default_factory=lambda: defaultdict(dict))

    def count(self, api: str) -> None:
        with self.lock:
            self.calls[api] += 1

    def issue_token(self, appid: str, *, force: bool = False, ttl: int = 7200) -> IssuedToken:
        """stable_token semantics: the same token until it expires, unless forced."""
        with self.lock:
            current = self.tokens.get(appid)
            if force or current is None or current.expires_at <= time.time():
                current = IssuedToken(secrets.token_urlsafe(48), time.time() + ttl)
                self.tokens[appid] = current
            return current

    def token_is_valid(self, appid: str, token: str | None) -> bool:
        with self.lock:
            current = self.tokens.get(appid)
            return bool(token) and current is not None and current.value == token \
                and current.expires_at > time.time()

    def appid_for_token(self, token: str | None) -> str | None:
        with self.lock:
            for appid, issued in self.tokens.items():
                if issued.value == token and issued.expires_at > time.time():
                    return appid
        return None

    def expire_token(self, appid: str) -> None:
        """Simulate WeChat invalidating a token early (the next call gets 40001)."""
        with self.lock:
            self.tokens.pop(appid, None)
