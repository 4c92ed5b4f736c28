"""Daily rollups: the figures of each Beijing day, kept by a job, rebuilt from the source rows.

Design. A rollup is a small table keyed by Beijing day (and, for later ones, a dimension:
product, category, channel, pay method, agent…) whose every figure is a sum or count over
source rows bucketed by one timestamp (paid_at, created_at, a ledger entry's time). Such a
figure of any range is the sum of its days' rows, so the dashboard and the reports read at
most a few hundred small rows per request, whatever the size of the shop.

- Each rollup registers a `recompute(day, now)` in ROLLUPS that replaces the rows of one
  day from the source rows with indexed range queries over that day (one day of orders, not
  the shop's history). It is the only code that writes the rollup, so the job and the
  rebuild cannot disagree, and running it twice writes the same rows (idempotent).
- Changes reach the rollups through dirty-day marks (app/reports/marks.py): written in the
  transaction of the change, for the day(s) whose figures it moved — a refund today of an
  order paid last week marks last week's day. `refresh_dirty_days` (scheduled every minute,
  app/schedule.py) recomputes each marked day; `flask reports rebuild` recomputes a range.
- Concurrency: each day (the job) or week of days (a rebuild) is recomputed in a transaction
  of its own that first takes the refresh lock (an UPDATE of the report_refreshes row: a row
  lock on MariaDB, the single writer on SQLite), then reads the days' marks and the source
  rows — a snapshot taken after the lock (InnoDB takes it at the first plain read), so it
  sees every change whose mark it reads, and a second refresh waits and then sees at least
  as much. It deletes exactly the marks it read (by id): a change
  that commits meanwhile leaves its mark for the next run, never lost.
- Freshness: today's figures come from the rollup, refreshed every minute, not computed per
  request (a busy day is tens of thousands of orders and commission lines: a few hundred ms
  of work on each dashboard view, against one small read of the rollup). The dashboard says
  how fresh they are: `refreshed_at`, the start of the last refresh, before which every
  committed change is counted.

Issue 21's reports (by product, category, channel, pay method; customers; distribution) add
a table of the same kind (day + dimension as the key, figures as columns), a recompute that
deletes the day's rows and inserts them again from a grouped query over the day, a line in
ROLLUPS, a migration, and a mark hook only if they read a source no hook marks yet.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from app.core.china_time import to_beijing
from app.core.models import utcnow
from app.extensions import db
from app.reports.models import DailyShopFigures, DirtyDay, RollupRefresh
from app.reports.sources import FIGURES, Window, earliest_day, figures

REFRESH = "daily"  # the report_refreshes row of the daily rollups
_DELETE_CHUNK = 500
REBUILD_BATCH = 7  # days per transaction of a rebuild: fewer commits, the lock held a moment longer


@dataclass(frozen=True)
class DailyRollup:
    name: str
    recompute: Callable[[date, datetime], None]  # replaces the rows of one day from the source rows


def _recompute_shop(day: date, now: datetime) -> None:
    computed = figures(Window(day, day))
    db.session.execute(delete(DailyShopFigures).where(DailyShopFigures.day == day))
    db.session.execute(insert(DailyShopFigures).values(
        day=day, computed_at=now, **{name: getattr(computed, name) for name in FIGURES}))


ROLLUPS: tuple[DailyRollup, ...] = (
    DailyRollup("shop", _recompute_shop),
)


def refresh_days(days: list[date]) -> None:
    """Recompute every rollup of these days in one transaction under the refresh lock, and
    delete the marks of them it read (committed; see the module docstring for why this order
    loses nothing)."""
    db.session.commit()  # the lock comes first in its transaction, so the snapshot follows it
    _lock()
    marks = list(db.session.scalars(select(DirtyDay.id).where(DirtyDay.day.in_(days))))
    now = utcnow()
    for day in days:
        for rollup in ROLLUPS:
            rollup.recompute(day, now)
    for start in range(0, len(marks), _DELETE_CHUNK):
        db.session.execute(delete(DirtyDay).where(DirtyDay.id.in_(marks[start:start + _DELETE_CHUNK])))
    db.session.commit()


def refresh_day(day: date) -> None:
    refresh_days([day])


def refresh_dirty_days() -> int:
    """Recompute every day a change has marked, most recent first; returns how many days."""
    started = utcnow()
    days = list(db.session.scalars(select(DirtyDay.day).distinct().order_by(DirtyDay.day.desc())))
    for day in days:
        refresh_day(day)
    _ensure_refresh_row()
    db.session.execute(update(RollupRefresh).where(
        RollupRefresh.name == REFRESH,
        or_(RollupRefresh.refreshed_at.is_(None), RollupRefresh.refreshed_at < started))
        .values(refreshed_at=started))
    db.session.commit()
    return len(days)


def rebuild(since: date | None = None, until: date | None = None,
            advance: Callable[[int], object] = lambda _done: None) -> int:
    """Recompute every day from `since` (default: the first day any figure has a row) to
    `until` (default: today, Beijing), a week of days per transaction; returns how many days."""
    until = until or to_beijing(utcnow()).date()
    since = since or earliest_day() or until
    days = Window(since, until).days() if since <= until else []
    for start in range(0, len(days), REBUILD_BATCH):
        batch = days[start:start + REBUILD_BATCH]
        refresh_days(batch)
        advance(len(batch))
    return len(days)


def refreshed_at() -> datetime | None:
    """Every change committed before this (UTC) is in the rollups; None before the first refresh."""
    return db.session.scalar(select(RollupRefresh.refreshed_at).where(RollupRefresh.name == REFRESH))


def _lock() -> None:
    """Take the refresh lock for this transaction (creating its row on a new database)."""
    for _attempt in range(3):
        taken = db.session.execute(update(RollupRefresh).where(RollupRefresh.name == REFRESH)
                                   .values(locked_at=utcnow())).rowcount
        if taken:
            return
        _ensure_refresh_row()
    raise RuntimeError("report_refreshes: the refresh lock row cannot be created")


def _ensure_refresh_row() -> None:
    """Create the refresh row if it is missing; ends the transaction either way."""
    if db.session.scalar(select(RollupRefresh.name).where(RollupRefresh.name == REFRESH)) is not None:
        db.session.commit()
        return
    db.session.add(RollupRefresh(name=REFRESH))
    try:
        db.session.commit()
    except IntegrityError:  # another refresh created it first
        db.session.rollback()
