"""The enabled, not yet ended full-reduction activities, cached in each worker.

Every checkout preview and cart answer asks which activities are live; reading them and their
tiers from the database each time would be two queries per request for rows that change a
few times a month. Each worker keeps them as plain frozen values and re-reads them only when
the generation number in Redis moved (any committed change to an activity or a tier bumps
it, through an ORM flush listener, whoever made the change). The generation is checked at
most every CHECK_SECONDS, so another worker's change shows there within that time; its own
at once. Windows are compared with the clock at each use: an activity starts and ends with
no write at all.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from sqlalchemy import event, select
from sqlalchemy.orm import Session, selectinload

from app.core.after_commit import after_commit, pending
from app.core.models import utcnow
from app.extensions import db, redis_client
from app.marketing.full_reduction_models import FullReductionActivity, FullReductionTier

KEY = "fenxiao:marketing:full-reduction:generation"
CHECK_SECONDS = 0.5
_lock = threading.Lock()


@dataclass(frozen=True)
class LiveTier:
    threshold: int
    off_fen: int
    pay_rate_bp: int
    free_shipping: bool
    points: int
    gift_coupon_template_id: int | None


@dataclass(frozen=True)
class LiveActivity:
    id: int
    name: str
    starts_at: datetime
    ends_at: datetime
    scope: str
    scope_ids: frozenset[int]
    basis: str
    tiers: tuple[LiveTier, ...]  # by threshold, low first

    def is_live(self, now: datetime) -> bool:
        return self.starts_at <= now < self.ends_at


@dataclass
class _Snapshot:
    generation: bytes | None
    checked_at: float
    activities: tuple[LiveActivity, ...]


def _cache() -> dict:
    return current_app.extensions.setdefault("full_reduction_cache", {})


def bump() -> None:
    """Forget the cached activities here and, through Redis, in every other worker."""
    _cache().clear()
    redis_client.incr(KEY)


def _load(generation: bytes | None) -> _Snapshot:
    rows = db.session.scalars(
        select(FullReductionActivity).options(selectinload(FullReductionActivity.tiers))
        .where(FullReductionActivity.is_enabled.is_(True), FullReductionActivity.ends_at > utcnow())
        .order_by(FullReductionActivity.id)).all()
    activities = tuple(
        LiveActivity(row.id, row.name, row.starts_at, row.ends_at, row.scope, frozenset(row.scope_ids or ()),
                     row.basis, tuple(LiveTier(tier.threshold, tier.off_fen, tier.pay_rate_bp, tier.free_shipping,
                                               tier.points, tier.gift_coupon_template_id)
                                      for tier in sorted(row.tiers, key=lambda tier: tier.threshold)))
        for row in rows)
    return _Snapshot(generation, time.monotonic(), activities)


def live_activities(now: datetime | None = None) -> list[LiveActivity]:
    """The activities running at `now` (default: this moment), oldest first."""
    cache = _cache()
    current = cache.get("snapshot")
    moment = time.monotonic()
    if current is None or moment - current.checked_at >= CHECK_SECONDS:
        generation = redis_client.get(KEY)
        if current is not None and current.generation == generation:
            current.checked_at = moment
        else:
            with _lock:
                current = cache["snapshot"] = _load(generation)
    now = now or utcnow()
    return [activity for activity in current.activities if activity.is_live(now)]


@event.listens_for(Session, "after_flush")
def _activities_flushed(session: Session, _context) -> None:
    rows = (*session.new, *session.dirty, *session.deleted)
    if any(isinstance(row, (FullReductionActivity, FullReductionTier)) for row in rows) and \
            not any(queued is bump for queued, _args, _kwargs in pending(session)):
        after_commit(bump)
