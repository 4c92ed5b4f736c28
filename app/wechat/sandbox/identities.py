"""Dev identities: a name stands for one WeChat user, the same in every sandbox call.

`alice` always has the same openid in the mini-program and (another) in the official
account, and one unionid for both, as WeChat gives for apps bound to one open platform
account. Codes (wx.login, OAuth, phone) are single-use, as WeChat's are.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import time
from dataclasses import dataclass

from app.wechat.sandbox.state import SandboxState

DEV_NAME = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
DEV_CODE = re.compile(r"^dev:(?P<name>[A-Za-z0-9_-]{1,32})(?::[A-Za-z0-9_.-]{1,32})?$")
CODE_TTL = 300  # WeChat's codes live five minutes
USED_CODE_TTL = 86_400  # a used dev code (they never expire by themselves) stays refused a day


@dataclass(frozen=True)
class DevIdentity:
    name: str
    openid: str
    unionid: str
    nickname: str
    avatar_url: str


def _digest(*parts: str) -> str:
    raw = hashlib.sha256(":".join(parts).encode()).digest()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")[:27]


def identity(appid: str, name: str, state: SandboxState | None = None) -> DevIdentity:
    """The stable WeChat identity of dev user `name` as seen by app `appid`: an openid of its
    own per app, one unionid for every app (both are bound to one open-platform account).
    With `state`, the sandbox also learns whose openid it is (for user/info)."""
    profile = (state.records["dev_profiles"].get(name) if state else None) or {}
    person = DevIdentity(
        name=name,
        openid="o" + _digest("openid", appid, name),
        unionid="u" + _digest("unionid", name),
        nickname=profile.get("nickname") or name,
        avatar_url=profile.get("avatar_url") or f"https://sandbox.invalid/avatars/{name}.png",
    )
    if state is not None:
        state.records["dev_openids"].add(person.openid, {"appid": appid, "name": name})
    return person


def owner_of(state: SandboxState, appid: str, openid: str) -> str | None:
    """The dev name behind an openid this app was shown, or None (WeChat: 40003 invalid openid)."""
    known = state.records["dev_openids"].get(openid or "-")
    return known["name"] if known and known["appid"] == appid else None


def remember_profile(state: SandboxState, name: str, *, nickname: str | None, avatar_url: str | None) -> None:
    changes = {key: value for key, value in (("nickname", nickname), ("avatar_url", avatar_url)) if value}
    if changes:
        state.records["dev_profiles"].change(name, lambda profile: (None, {**(profile or {}), **changes}))


def dev_phone(name: str) -> str:
    """A fake mainland mobile number (+86), stable per name."""
    digits = int(hashlib.sha256(f"phone:{name}".encode()).hexdigest(), 16) % 10**8
    return f"138{digits:08d}"


def use_dev_code(state: SandboxState, area: str, code: str) -> tuple[str | None, int]:
    """The dev name behind `code` and 0, or None and WeChat's errcode (40029 / 40163).

    Codes look like `dev:alice`, or `dev:alice:<anything>` to get a fresh code for the same
    user; each code works once.
    """
    match = DEV_CODE.match(code or "")
    if not match:
        return None, 40029
    if not state.records[f"used_codes:{area}"].add(code, True, ttl=USED_CODE_TTL):
        return None, 40163
    return match["name"], 0


def issue_code(state: SandboxState, area: str, payload: dict) -> str:
    """A random single-use code carrying `payload` (OAuth codes)."""
    code = secrets.token_urlsafe(24)
    state.records[area].put(code, {**payload, "expires_at": time.time() + CODE_TTL}, ttl=CODE_TTL)
    return code


def redeem_code(state: SandboxState, area: str, code: str) -> tuple[dict | None, int]:
    """The code's payload and 0, once; then 40163 (used), or 40029 (unknown or expired)."""
    used = state.records[f"used_codes:{area}"]
    payload = state.records[area].take(code) if code else None
    if payload is None or payload["expires_at"] < time.time():
        return None, 40163 if code in used else 40029
    used.add(code, True, ttl=USED_CODE_TTL)
    return payload, 0
