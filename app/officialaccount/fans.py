"""Fans follow and unfollow; agents' QR scenes bring them in. Services flush; the edge commits.

WeChat pushes each event up to four times and may deliver them out of order, so every change
here is guarded twice: the fan remembers the CreateTime of the last (un)subscribe it applied,
and a scene touch has a unique key made of the event's identity.
"""

from __future__ import annotations

import logging
import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.accounts import wechat_identity
from app.accounts.models import User
from app.core.events import publish
from app.core.models import utcnow
from app.extensions import db
from app.officialaccount.models import Fan, SceneTouch
from app.officialaccount.states import SUBSCRIBED, UNSUBSCRIBED, check_transition

log = logging.getLogger(__name__)

_SCENE = re.compile(r"^[\x21-\x7e]{1,64}$")  # WeChat: scene_str of 1–64 visible characters, or scene_id


def clean_scene(raw: str | None) -> str | None:
    """The agent scene an EventKey carries, or None when there is none (or it is not one)."""
    scene = (raw or "").strip()
    if scene.startswith("qrscene_"):
        scene = scene[len("qrscene_"):]
    if not scene:
        return None
    if not _SCENE.match(scene):
        log.warning("ignored a QR scene that is not a WeChat scene string (%d chars)", len(scene))
        return None
    return scene


def _locked_fan(openid: str) -> Fan | None:
    return db.session.scalar(select(Fan).where(Fan.openid == openid).with_for_update())


def _insert_once(row, lookup):
    """Insert `row`, or return what `lookup()` finds when a concurrent request inserted it first."""
    try:
        with db.session.begin_nested():
            db.session.add(row)
        return row
    except IntegrityError:
        return lookup()


def user_for_openid(openid: str, unionid: str | None = None) -> User:
    """The shopper behind an official-account openid: the User who has it, else the person
    the unionid names (their mini-program User gains this openid), else a new User."""
    def lookup() -> User | None:  # a locking read sees a row another transaction just committed
        user = db.session.scalar(select(User).where(User.oa_openid == openid).with_for_update())
        if user is None and unionid:
            user = wechat_identity.claim_by_unionid("oa", openid, unionid)
        return user

    user = lookup() or _insert_once(User(oa_openid=openid, unionid=unionid), lookup)
    if unionid:
        wechat_identity.attach_unionid(user, unionid)
    return user


def lacks_unionid(openid: str) -> bool:
    """Whether we do not know this fan's unionid yet (worth asking WeChat's user/info)."""
    known = db.session.scalar(select(User.unionid).where(User.oa_openid == openid))
    return known is None


def _fan(openid: str, status_if_new: str, now: datetime, unionid: str | None) -> tuple[Fan, bool]:
    fan = _locked_fan(openid)
    if fan is not None:
        if unionid:  # a fan we knew without it: now linked to the person the unionid names
            fan.user_id = user_for_openid(openid, unionid).id
        return fan, False
    check_transition(None, status_if_new)
    new = Fan(openid=openid, status=status_if_new, user_id=user_for_openid(openid, unionid).id,
              resubscribe_count=0, last_event_time=0)
    if status_if_new == SUBSCRIBED:
        new.first_subscribed_at = new.subscribed_at = now
    created = _insert_once(new, lambda: _locked_fan(openid))
    return created, created is new


def _is_stale(fan: Fan, wanted: str, event_time: int) -> bool:
    """Older than what was applied, or the same moment already applied (a retry)."""
    return event_time < fan.last_event_time or (event_time == fan.last_event_time and fan.status == wanted)


def record_subscribe(openid: str, *, event_time: int, scene: str | None = None, unionid: str | None = None) -> Fan:
    """A follow; `unionid` (from user/info, when WeChat gave it) links the fan to the person."""
    now = utcnow()
    fan, created = _fan(openid, SUBSCRIBED, now, unionid)
    if not created and _is_stale(fan, SUBSCRIBED, event_time):
        return fan
    if not created and fan.status == UNSUBSCRIBED:
        check_transition(fan.status, SUBSCRIBED)
        fan.status = SUBSCRIBED
        fan.resubscribe_count += 1
    if not created:
        fan.subscribed_at = now
        fan.first_subscribed_at = fan.first_subscribed_at or now
    if fan.user_id is None:
        fan.user_id = user_for_openid(openid).id
    fan.subscribe_scene = scene
    fan.last_event_time = event_time
    db.session.flush()
    return fan


def record_unsubscribe(openid: str, *, event_time: int) -> Fan:
    now = utcnow()
    fan, created = _fan(openid, UNSUBSCRIBED, now, None)
    if not created and _is_stale(fan, UNSUBSCRIBED, event_time):
        return fan
    if fan.status != UNSUBSCRIBED:
        check_transition(fan.status, UNSUBSCRIBED)
        fan.status = UNSUBSCRIBED
    fan.unsubscribed_at = now
    fan.last_event_time = event_time
    db.session.flush()
    return fan


def fan_seen_scanning(openid: str, unionid: str | None = None) -> Fan:
    """SCAN is only pushed for followers: the fan, created as subscribed if we never saw them."""
    fan, _created = _fan(openid, SUBSCRIBED, utcnow(), unionid)
    return fan


def record_scene_touch(fan: Fan, scene: str, *, event: str, dedup_key: str) -> SceneTouch | None:
    """Keep the touch and announce `referral.scanned` once, however often the event is pushed."""
    touch = SceneTouch(fan_id=fan.id, user_id=fan.user_id, scene=scene, source="oa_qrcode", event=event,
                       dedup_key=dedup_key)
    stored = _insert_once(touch, lambda: None)
    if stored is None:
        log.info("scene touch %s already recorded", dedup_key)
        return None
    db.session.flush()
    publish("referral.scanned", touch.id)
    return touch
