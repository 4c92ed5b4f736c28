"""Official-account QR scenes scanned by fans who have no shopper account yet.

Following the official account makes a User for the fan (its official-account openid only).
A binding made then would sit on an identity that never shops, so the touch waits (the
officialaccount domain keeps it) until that person's mini-program account exists — their
official-account User gains its mini-program openid through the shared unionid
(app/accounts/wechat_identity.py, event `shopper.joined`). The waiting touches are then
applied in the order they happened, each as of its own time, under the binding rules in
force (first touch wins, expiring, latest). Each bind, rebind or refusal records the touch it
applied, so a replay skips those and binds nothing twice.
"""

from __future__ import annotations

from sqlalchemy import select

from app.accounts.models import User
from app.distribution import agents, binding, fan_rewards, scenes
from app.distribution.agent_models import BindingEvent
from app.extensions import db
from app.members.models import PointsEntry


def already_applied(touch_id: int) -> bool:
    """Whether a bind, rebind or refusal already applied this touch (a replayed job)."""
    return db.session.scalar(select(BindingEvent.id).where(BindingEvent.touch_id == touch_id).limit(1)) is not None


def waits_for_shopper(touch_id: int) -> bool:
    """Whether the fan who made this touch is known only to the official account so far."""
    from app.officialaccount.models import SceneTouch

    touch = db.session.get(SceneTouch, touch_id)
    user = db.session.get(User, touch.user_id) if touch is not None and touch.user_id else None
    return user is not None and user.mp_openid is None and user.oa_openid is not None


def reward_new_follower(touch_id: int) -> PointsEntry | None:
    """A genuinely new follower brought by an agent's QR code earns the agent fan points now,
    though the binding waits (under the bind lock, like a bind, so the daily cap holds)."""
    from app.officialaccount.models import SceneTouch

    touch = db.session.get(SceneTouch, touch_id)
    if touch is None or touch.user_id is None:
        return None
    settings = binding.lock_tree()
    named = scenes.referrer_in(touch.scene)
    referrer_id = binding.resolve_referrer(named) if named is not None else None
    if not settings.enabled or referrer_id is None or referrer_id == touch.user_id:
        return None
    if settings.become_agent == "auto":
        agents.become_automatically(referrer_id)
    if not agents.is_active(referrer_id):
        return None
    return fan_rewards.reward_new_shopper(settings, referrer_id, touch.user_id, touch.created_at)


def apply_waiting(user_id: int) -> list[str]:
    """Bind a new shopper through the QR scenes they scanned as a fan; one result per touch."""
    from app.officialaccount.models import SceneTouch

    user = db.session.get(User, user_id)
    if user is None or user.mp_openid is None:
        return []
    applied = set(db.session.scalars(select(BindingEvent.touch_id).where(
        BindingEvent.user_id == user_id, BindingEvent.touch_id.is_not(None))))
    results: list[str] = []
    for touch in db.session.scalars(select(SceneTouch).where(SceneTouch.user_id == user_id).order_by(SceneTouch.id)):
        referrer = scenes.referrer_in(touch.scene)
        if touch.id in applied or referrer is None:
            results.append("skipped")
            continue
        outcome = binding.bind(user_id, referrer, "oa_qr", now=touch.created_at, touch_id=touch.id)
        results.append(outcome.result)
    return results
