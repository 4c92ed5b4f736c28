"""When flash sales happen: each session's occurrence on a Beijing day as UTC times, today's
sessions as the storefront lists them (past / now / coming), and an activity's window and
status, computed from its days and sessions (never stored)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.core.china_time import day_start_utc, to_beijing
from app.core.labels import labels
from app.core.models import utcnow
from app.extensions import db
from app.marketing.flash_models import FlashActivity, FlashSession, FlashStatus


class Phase(StrEnum):
    """Where a session of today stands, as the storefront labels it."""

    PAST = "past"
    NOW = "now"
    COMING = "coming"


PHASE_LABELS = labels(Phase, {Phase.PAST: _l("Ended"), Phase.NOW: _l("Selling now"),
                              Phase.COMING: _l("Starting soon")})


@dataclass(frozen=True)
class Occurrence:
    """A session on one Beijing day; times are naive UTC, `ends_at` exclusive."""

    session_id: int
    name: str
    day: date
    starts_at: datetime
    ends_at: datetime

    @property
    def scope(self) -> str:
        """The limit scope of this occurrence (flash_holdings.scope, the gate's counter)."""
        return f"session:{self.session_id}:{self.day.isoformat()}"

    def phase(self, now: datetime) -> Phase:
        if now < self.starts_at:
            return Phase.COMING
        return Phase.NOW if now < self.ends_at else Phase.PAST


def occurrence(session: FlashSession, day: date) -> Occurrence:
    midnight = day_start_utc(day)
    return Occurrence(session.id, session.name, day, midnight + timedelta(minutes=session.start_minute),
                      midnight + timedelta(minutes=session.end_minute))


def beijing_today(now: datetime | None = None) -> date:
    return to_beijing(now or utcnow()).date()


def enabled_sessions() -> list[FlashSession]:
    return list(db.session.scalars(select(FlashSession).where(FlashSession.is_enabled.is_(True))
                                   .order_by(FlashSession.start_minute, FlashSession.id)))


def day_occurrences(day: date, sessions: Iterable[FlashSession] | None = None) -> list[Occurrence]:
    """Each enabled session's occurrence on a Beijing day, earliest first."""
    chosen = enabled_sessions() if sessions is None else sorted(sessions, key=lambda s: (s.start_minute, s.id))
    return [occurrence(session, day) for session in chosen]


@dataclass(frozen=True)
class Today:
    """Today's sessions with their phase; `current` the one on now, `next` the next to start
    (tomorrow's first when today's are over), either None."""

    now: datetime
    sessions: list[tuple[Occurrence, Phase]]
    current: Occurrence | None
    next: Occurrence | None


def today_sessions(now: datetime | None = None) -> Today:
    now = now or utcnow()
    sessions = enabled_sessions()
    today = day_occurrences(beijing_today(now), sessions)
    phased = [(occ, occ.phase(now)) for occ in today]
    current = next((occ for occ, phase in phased if phase == Phase.NOW), None)
    coming = next((occ for occ, phase in phased if phase == Phase.COMING), None)
    if coming is None and sessions:
        coming = day_occurrences(beijing_today(now) + timedelta(days=1), sessions)[0]
    return Today(now, phased, current, coming)


def _chosen(activity: FlashActivity, sessions: dict[int, FlashSession] | None) -> list[FlashSession]:
    if sessions is None:
        ids = list(activity.session_ids or [])
        found = db.session.scalars(select(FlashSession).where(FlashSession.id.in_(ids))).all() if ids else []
        sessions = {session.id: session for session in found}
    return [sessions[sid] for sid in activity.session_ids or [] if sid in sessions]


def activity_window(activity: FlashActivity,
                    sessions: dict[int, FlashSession] | None = None) -> tuple[datetime, datetime]:
    """From the first day's earliest chosen session to the last day's latest end (UTC); with
    no session left, the whole days. Disabled sessions count: the window is what was sold."""
    chosen = _chosen(activity, sessions)
    first, last = day_start_utc(activity.first_day), day_start_utc(activity.last_day)
    if not chosen:
        return first, last + timedelta(days=1)
    return (first + timedelta(minutes=min(s.start_minute for s in chosen)),
            last + timedelta(minutes=max(s.end_minute for s in chosen)))


def status_of(activity: FlashActivity, now: datetime | None = None,
              sessions: dict[int, FlashSession] | None = None) -> FlashStatus:
    """Stopped early reads as stopped; otherwise the window decides (between two sessions of
    its days an activity is running)."""
    if activity.stopped_at is not None:
        return FlashStatus.STOPPED
    now = now or utcnow()
    starts, ends = activity_window(activity, sessions)
    if now >= ends:
        return FlashStatus.ENDED
    return FlashStatus.NOT_STARTED if now < starts else FlashStatus.RUNNING


def activity_occurrences(activity: FlashActivity, day: date) -> list[Occurrence]:
    """The activity's enabled sessions on a Beijing day within its days (none outside)."""
    if not activity.first_day <= day <= activity.last_day or activity.stopped_at is not None:
        return []
    return day_occurrences(day, [s for s in _chosen(activity, None) if s.is_enabled])


def live_occurrence(activity: FlashActivity, now: datetime | None = None) -> Occurrence | None:
    """The activity's session on now, if one is (what a purchase is counted under)."""
    now = now or utcnow()
    return next((occ for occ in activity_occurrences(activity, beijing_today(now))
                 if occ.phase(now) == Phase.NOW), None)
