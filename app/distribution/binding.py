"""Referral binding (推广关系): who brought a shopper in, and the rules for changing it.

A touch — a share link parameter, a mini-program code scene, an official-account QR scene,
an invite code — asks to bind the shopper to an agent. It is refused (and the refusal
recorded with its reason) when the shopper would be their own referrer, when it would close
a cycle of any length (the shopper is an ancestor of the referrer), when the referrer is
not an active agent, when only new shoppers may be bound and this one has paid an order
before, or when the binding mode keeps the current referrer (permanent: first touch wins;
expiring: until the binding expires). Mode latest always moves to the newest referrer.

Binds run one at a time: each starts by locking the settings row (a no-op UPDATE, which
also makes SQLite's transaction a writer from the start) and reads the tree with locking
reads, so two binds can never each see the tree without the other's edge and close a cycle
together; the team counters (team.py) change in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from app.accounts.models import User
from app.core.models import utcnow
from app.distribution import agents, events, fan_rewards, rollups, team
from app.distribution.agent_models import Agent, BindingEvent, BindingSource, ReferralBinding
from app.distribution.settings import SETTINGS_ID, current
from app.distribution.settings_models import DistributionSettings
from app.extensions import db
from app.orders.models import Order

SOURCES = tuple(BindingSource)
MAX_CHAIN = 1_000_000  # a walk longer than this means the tree is broken, not deep


class BrokenTree(Exception):
    """The referral chain loops: it never should, and binding stops rather than loop forever."""


@dataclass(frozen=True)
class BindOutcome:
    result: str  # bound | rebound | unchanged | refused
    reason: str = ""  # why refused
    referrer_user_id: int | None = None


def lock_tree() -> DistributionSettings:
    """Take the bind lock (the settings row) for the rest of this transaction. Tree reads after
    it are locking reads too, so they see the latest binds even if this transaction read
    something earlier (MariaDB's snapshot would otherwise hide a bind committed since)."""
    take = (update(DistributionSettings).where(DistributionSettings.id == SETTINGS_ID)
            .values(bind_days=DistributionSettings.bind_days).execution_options(synchronize_session=False))
    if db.session.execute(take).rowcount == 0:
        current()  # the first bind ever creates the settings row
        db.session.execute(take)
    row = db.session.scalar(select(DistributionSettings).where(DistributionSettings.id == SETTINGS_ID)
                            .with_for_update())
    db.session.refresh(row)
    return row


def binding_of(user_id: int, *, lock: bool = False) -> ReferralBinding | None:
    statement = select(ReferralBinding).where(ReferralBinding.user_id == user_id)
    return db.session.scalar(statement.with_for_update() if lock else statement)


def ancestors(user_id: int, *, lock: bool = False) -> list[int]:
    """[referrer, referrer's referrer, …] of `user_id`, up to the root."""
    chain: list[int] = []
    seen = {user_id}
    node = user_id
    while True:
        statement = select(ReferralBinding.referrer_user_id).where(ReferralBinding.user_id == node)
        referrer = db.session.scalar(statement.with_for_update() if lock else statement)
        if referrer is None:
            return chain
        if referrer in seen or len(chain) >= MAX_CHAIN:
            raise BrokenTree(f"the referral chain of user {user_id} loops at {referrer}")
        seen.add(referrer)
        chain.append(referrer)
        node = referrer


def resolve_referrer(referrer: int | str) -> int | None:
    """A user id, or an agent's invite code, to the referrer's user id (None if unknown)."""
    if isinstance(referrer, int):
        return referrer if db.session.get(User, referrer) is not None else None
    code = (referrer or "").strip()
    if not code:
        return None
    return db.session.scalar(select(Agent.user_id).where(Agent.invite_code == code))


def has_paid_order(user_id: int) -> bool:
    return db.session.scalar(select(Order.id).where(Order.user_id == user_id, Order.paid_at.is_not(None))
                             .limit(1)) is not None


def is_expired(binding: ReferralBinding, at: datetime) -> bool:
    return binding.expires_at is not None and binding.expires_at <= at


def bind(user_id: int, referrer: int | str, source: str, *, now: datetime | None = None,
         touch_id: int | None = None) -> BindOutcome:
    """Bind `user_id` to the referrer (a user id or an invite code) if the rules allow it;
    `touch_id` names the official-account scene touch this applies (recorded with the event)."""
    if source not in SOURCES:
        raise ValueError(f"unknown binding source {source!r}")
    now = now or utcnow()
    settings = lock_tree()
    referrer_id = resolve_referrer(referrer)

    def refuse(reason: str) -> BindOutcome:
        db.session.add(BindingEvent(user_id=user_id, referrer_user_id=referrer_id, action="refused", reason=reason,
                                    source=source, touch_id=touch_id, created_at=now))
        db.session.flush()
        return BindOutcome("refused", reason, referrer_id)

    if not settings.enabled:
        return refuse("distribution_off")
    if referrer_id is None:
        return refuse("unknown_referrer")
    if referrer_id == user_id:
        return refuse("self")
    if settings.become_agent == "auto":
        agents.become_automatically(referrer_id)
    if not agents.is_active(referrer_id):
        return refuse("referrer_not_agent")
    current_binding = binding_of(user_id, lock=True)
    if current_binding is None:
        if settings.bind_eligibility == "new_only" and has_paid_order(user_id):
            return refuse("not_new")
    elif current_binding.referrer_user_id == referrer_id and not is_expired(current_binding, now):
        return BindOutcome("unchanged", "", referrer_id)
    elif settings.bind_mode == "permanent" or (
            settings.bind_mode == "expiring" and not is_expired(current_binding, now)):
        return refuse("already_bound")
    new_chain = [referrer_id, *ancestors(referrer_id, lock=True)]
    if user_id in new_chain:
        return refuse("cycle")
    expires_at = now + timedelta(days=settings.bind_days) if settings.bind_mode == "expiring" else None
    grand = new_chain[1] if len(new_chain) > 1 else None
    previous = None
    if current_binding is None:
        fan_rewards.reward_new_shopper(settings, referrer_id, user_id, now)
        db.session.add(ReferralBinding(user_id=user_id, referrer_user_id=referrer_id, grand_referrer_user_id=grand,
                                       source=source, bound_at=now, expires_at=expires_at))
        db.session.flush()
    else:
        previous = current_binding.referrer_user_id
        team.move_subtree(user_id, [previous, *ancestors(previous, lock=True)], -1)
        current_binding.referrer_user_id, current_binding.source = referrer_id, source
        current_binding.grand_referrer_user_id = grand
        current_binding.bound_at, current_binding.expires_at = now, expires_at
    team.move_subtree(user_id, new_chain, 1)
    team.relink_grandchildren(user_id, referrer_id)
    action = "bind" if current_binding is None else "rebind"
    if action == "bind":  # a new shopper for the referrer's leaderboard rows
        rollups.add([(referrer_id, rollups.cohort_day(now), {"invites": 1})])
    db.session.add(BindingEvent(user_id=user_id, referrer_user_id=referrer_id, previous_referrer_user_id=previous,
                                action=action, source=source, touch_id=touch_id, created_at=now))
    db.session.flush()
    if action == "bind":  # e.g. the invitee's gift coupon, in this transaction
        events.recruit_bound(user_id, referrer_id)
    return BindOutcome("bound" if current_binding is None else "rebound", "", referrer_id)
