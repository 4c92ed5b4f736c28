"""Reading a referrer out of a share: a mini-program code scene (`r=<code>&p=<product id>`),
an official-account QR scene (`qrscene_` already stripped: `agent_<user id>`, `r=<code>`
or a bare invite code), or a share link's parameter — and binding the official-account fan
who scanned one (event `referral.scanned`, from app/officialaccount/fans.py)."""

from __future__ import annotations

import re
from urllib.parse import parse_qs

from app.distribution import binding
from app.distribution.binding import BindOutcome
from app.extensions import db

CODE = re.compile(r"^[A-Za-z0-9]{6,8}$")
AGENT_ID = re.compile(r"^agent_(\d{1,18})$")


def referrer_in(scene: str | None) -> int | str | None:
    """The referrer a scene names: a user id (agent_<id>), an invite code, or None."""
    scene = (scene or "").strip()
    if match := AGENT_ID.match(scene):
        return int(match.group(1))
    if "=" in scene:
        code = (parse_qs(scene).get("r") or [""])[0]
        return code if CODE.match(code) else None
    return scene if CODE.match(scene) else None


def scene_for(invite_code: str, product_id: int | None = None) -> str:
    """The wxacode scene for an agent's share (at most 32 characters, as WeChat requires)."""
    scene = f"r={invite_code}" + (f"&p={product_id}" if product_id else "")
    if len(scene) > 32:
        raise ValueError("a wxacode scene is at most 32 characters")
    return scene


def bind_from_touch(touch_id: int) -> BindOutcome | None:
    """A fan scanned an agent's official-account QR code: bind their shopper account (when the
    fan is linked to one; a fan not yet known as a shopper is bound on a later touch)."""
    from app.officialaccount.models import SceneTouch

    touch = db.session.get(SceneTouch, touch_id)
    if touch is None or touch.user_id is None:
        return None
    referrer = referrer_in(touch.scene)
    if referrer is None:
        return None
    return binding.bind(touch.user_id, referrer, "oa_qr", now=touch.created_at, touch_id=touch.id)
