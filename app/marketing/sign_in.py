"""Daily sign-in (签到): once per Beijing calendar day, base points plus the merchant's streak
rewards (day N of the current streak gets its extra), a missed day starting the streak again.

A sign-in locks the shopper's wallet first, so one shopper's sign-ins run one at a time; the
row is unique per (shopper, day) besides, so a double tap, a retried request or ten at once
give one sign-in and its points once. The points, the row and the `marketing.signed_in`
event (member growth listens) commit together."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, select
from sqlalchemy.exc import IntegrityError

from app.audit import services as audit
from app.audit.services import Actor
from app.core.china_time import to_beijing
from app.core.errors import Conflict, ValidationError
from app.core.models import utcnow
from app.extensions import db
from app.marketing import events
from app.marketing.points_models import RULES_ID, SignIn, SignInRules
from app.members.models import WalletChange
from app.members.services import change_points, wallet_for_update

MAX_POINTS = 100_000
MAX_REWARDS = 10
MAX_STREAK_DAY = 366


def rules_in_force() -> SignInRules:
    """The saved rules, or the defaults (not added to the session)."""
    return db.session.get(SignInRules, RULES_ID) or SignInRules(id=RULES_ID, enabled=True, base_points=5,
                                                                 streak_rewards=[])


def save_rules(actor: Actor, *, enabled: bool, base_points: int, streak_rewards: list[dict]) -> SignInRules:
    """Save the rules (rewards sorted by day, one per day), audited with what changed."""
    errors: dict[str, str] = {}
    if not 0 <= base_points <= MAX_POINTS:
        errors["base_points"] = _("Between %(low)s and %(high)s.", low=0, high=MAX_POINTS)
    rewards: dict[int, int] = {}
    for index, reward in enumerate(streak_rewards):
        day, points = reward.get("day"), reward.get("points")
        if not isinstance(day, int) or not 2 <= day <= MAX_STREAK_DAY or day in rewards:
            errors[f"streak_rewards.{index}.day"] = _("Each day from %(low)s to %(high)s, once.", low=2,
                                                       high=MAX_STREAK_DAY)
        elif not isinstance(points, int) or not 1 <= points <= MAX_POINTS:
            errors[f"streak_rewards.{index}.points"] = _("Between %(low)s and %(high)s.", low=1, high=MAX_POINTS)
        else:
            rewards[day] = points
    if len(streak_rewards) > MAX_REWARDS:
        errors["streak_rewards"] = _("At most %(n)s rewards.", n=MAX_REWARDS)
    if errors:
        raise ValidationError(_("Some fields are invalid."), fields=errors)
    row = db.session.get(SignInRules, RULES_ID)
    before = _snapshot(row) if row else None
    if row is None:
        row = SignInRules(id=RULES_ID)
        db.session.add(row)
    row.enabled, row.base_points = enabled, base_points
    row.streak_rewards = [{"day": day, "points": rewards[day]} for day in sorted(rewards)]
    try:
        db.session.flush()
    except IntegrityError as exc:
        raise Conflict(_("Please try again."), code="retry") from exc
    audit.record(actor, area="marketing", action="sign_in_rules.update", target_type="sign_in_rules",
                 target_id=RULES_ID, summary=_("Sign-in rules"), before=before, after=_snapshot(row))
    return row


def _snapshot(row: SignInRules) -> dict[str, Any]:
    return {"enabled": row.enabled, "base_points": row.base_points, "streak_rewards": list(row.streak_rewards)}


def reward_for(rules: SignInRules, streak: int) -> int:
    """Points for signing in on day `streak` of a streak."""
    return rules.base_points + sum(reward["points"] for reward in rules.streak_rewards if reward["day"] == streak)


def beijing_day(now: datetime | None = None) -> date:
    return to_beijing(now or utcnow()).date()


def _on(user_id: int, day: date, *, lock: bool = False) -> SignIn | None:
    statement = select(SignIn).where(SignIn.user_id == user_id, SignIn.day == day)
    return db.session.scalar(statement.with_for_update() if lock else statement)


def sign_in(user_id: int, now: datetime | None = None) -> tuple[SignIn, bool]:
    """Sign the shopper in for today (Beijing): (the sign-in, True), or (today's earlier one,
    False) when they already did."""
    rules = rules_in_force()
    if not rules.enabled:
        raise Conflict(_("Sign-in is not open."), code="sign_in_off")
    day = beijing_day(now)
    wallet_for_update(user_id)  # one sign-in of this shopper at a time
    earlier = _on(user_id, day, lock=True)  # a locking read sees what a sign-in just committed
    if earlier is not None:
        return earlier, False
    yesterday = _on(user_id, day - timedelta(days=1), lock=True)
    streak = yesterday.streak + 1 if yesterday else 1
    row = SignIn(user_id=user_id, day=day, streak=streak, points=reward_for(rules, streak), created_at=now or utcnow())
    db.session.add(row)
    try:
        db.session.flush()
    except IntegrityError as exc:  # the unique (user, day) backs the lock
        raise Conflict(_("Please try again."), code="retry") from exc
    if row.points:
        change_points(user_id, row.points, kind=WalletChange.SIGN_IN, ref=f"{user_id}:{day.isoformat()}",
                      reason=_("Signed in on day %(n)s of a streak", n=streak))
    events.signed_in(user_id, row.id)
    return row, True


@dataclass(frozen=True)
class SignInStatus:
    signed_today: bool
    streak: int  # the current streak (0 when it is broken)
    today_points: int  # what today's sign-in gives (gave)
    tomorrow_points: int  # what signing in tomorrow would give, the streak kept
    month: str  # YYYY-MM
    signed_days: list[int]  # days of that month signed in
    enabled: bool
    rewards: list[dict]


def status(user_id: int, month: str | None = None, now: datetime | None = None) -> SignInStatus:
    rules = rules_in_force()
    today = beijing_day(now)
    signed = _on(user_id, today)
    yesterday = _on(user_id, today - timedelta(days=1))
    if signed is not None:
        streak, today_points = signed.streak, signed.points
    else:
        streak = yesterday.streak if yesterday else 0
        today_points = reward_for(rules, streak + 1)
    following = streak + 1 if signed is not None else streak + 2
    first = date.fromisoformat(f"{month}-01") if month else today.replace(day=1)
    after = (first + timedelta(days=32)).replace(day=1)
    days = db.session.scalars(select(SignIn.day).where(SignIn.user_id == user_id, SignIn.day >= first,
                                                       SignIn.day < after).order_by(SignIn.day))
    return SignInStatus(signed_today=signed is not None, streak=streak, today_points=today_points,
                        tomorrow_points=reward_for(rules, following), month=first.strftime("%Y-%m"),
                        signed_days=[day.day for day in days], enabled=rules.enabled,
                        rewards=list(rules.streak_rewards))


def sign_in_list(user_id: int | None = None, since: date | None = None, until: date | None = None) -> Select:
    """Sign-ins newest day first, of one member and/or within a range of Beijing days (both
    ends included): one range of (user_id, day) for a member, of (day, id) otherwise."""
    statement = select(SignIn).order_by(SignIn.day.desc(), SignIn.id.desc())
    if user_id is not None:
        statement = statement.where(SignIn.user_id == user_id)
    if since is not None:
        statement = statement.where(SignIn.day >= since)
    if until is not None:
        statement = statement.where(SignIn.day <= until)
    return statement
