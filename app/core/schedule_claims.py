"""Who runs a scheduled job this time: a claim in the database, so that any number of
embedded-mode processes (flask run, gunicorn workers) sharing one database run each
scheduled job once per interval, and a restart does not run a daily job again."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import DateTime, String, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db


class ScheduledRun(db.Model):
    """The last time some process started a scheduled job (app/schedule.py)."""

    __tablename__ = "scheduled_runs"

    name: Mapped[str] = mapped_column(String(200), primary_key=True, comment="the job path, module:function")
    last_run_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, comment="UTC, when it was last claimed")


def claim(name: str, interval: int, now: datetime) -> bool:
    """True when this caller won the run of `name` due at `now` (and recorded it, committed);
    False when it is not due or another process won it."""
    won = db.session.execute(update(ScheduledRun).where(
        ScheduledRun.name == name, ScheduledRun.last_run_at <= now - timedelta(seconds=interval))
        .values(last_run_at=now)).rowcount == 1
    if not won and db.session.get(ScheduledRun, name) is None:  # never run anywhere: first come wins
        db.session.add(ScheduledRun(name=name, last_run_at=now))
        try:
            db.session.flush()
            won = True
        except IntegrityError:
            db.session.rollback()
            return False
    db.session.commit()
    return won
