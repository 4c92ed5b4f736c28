"""Keeping the per-agent rollups (rollup_models.py) in step, and reading them.

Every change to a commission line reaches the ledger as an entry with deltas per bucket, so
the ledger is the one place that keeps the rollups: an entry on a line adds its pending,
frozen and available deltas to the rows of the line's creation day, week and month (their
sum to net), and an accrual, cancel or claw-back also to accrued, cancelled or clawed back.
A new binding adds an invite to the referrer's rows. Each change is one upsert of the three
rows, in the same transaction as the entry, in (user, span, start) order like the accounts.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Date, bindparam, select, text

from app.core.china_time import to_beijing
from app.core.models import utcnow
from app.distribution.rollup_models import FIGURES, AgentRollup, Span
from app.extensions import db

# Which figure an entry of a kind adds its net change to, besides pending/frozen/available
# (an accrual adds what it pays; a cancel or claw-back takes back, so it adds the negative).
_TAKEN = {"accrue": ("accrued_fen", 1), "cancel": ("cancelled_fen", -1), "clawback": ("clawed_back_fen", -1)}

Change = tuple[int, date, dict[str, int]]  # (user id, Beijing day, {figure: delta})


def cohort_day(moment: datetime) -> date:
    """The Beijing calendar day of a stored (naive UTC) time: the day a line or binding counts for."""
    return to_beijing(moment).date()


def span_start(span: str, day: date) -> date:
    if span == Span.WEEK:
        return day - timedelta(days=day.weekday())
    if span == Span.MONTH:
        return day.replace(day=1)
    return day


def line_figures(kind: str, pending: int = 0, frozen: int = 0, available: int = 0) -> dict[str, int]:
    """What one ledger entry on a line changes in the rollups of the line's creation day."""
    net = pending + frozen + available
    figures = {"pending_fen": pending, "frozen_fen": frozen, "available_fen": available, "net_fen": net}
    if kind in _TAKEN:
        figure, sign = _TAKEN[kind]
        figures[figure] = sign * net
    return figures


def add(changes: Iterable[Change], connection: Any = None) -> None:
    """Add the changes to the day, week and month rows they fall in (creating the rows)."""
    rows: dict[tuple[int, str, date], dict[str, int]] = {}
    for user_id, day, figures in changes:
        for span in Span:
            row = rows.setdefault((user_id, span.value, span_start(span, day)), dict.fromkeys(FIGURES, 0))
            for figure, delta in figures.items():
                row[figure] += delta
    params = [{"user_id": user_id, "span": span, "start_day": start, **figures}
              for (user_id, span, start), figures in sorted(rows.items()) if any(figures.values())]
    if params:
        (connection or db.session).execute(_upsert(db.session.get_bind().dialect.name), params)


@functools.cache
def _upsert(dialect: str):
    """INSERT the rows or add to them — MySQL/MariaDB or SQLite spelling, built once (as text,
    like the accounts' upsert: SQLAlchemy's ON DUPLICATE KEY construct is not cached)."""
    columns = ("user_id", "span", "start_day", *FIGURES)
    insert = (f"INSERT INTO agent_rollups ({', '.join(columns)}) "
              f"VALUES ({', '.join(':' + column for column in columns)}) ")
    if dialect == "mysql":
        sql = insert + "ON DUPLICATE KEY UPDATE " + ", ".join(
            f"{figure} = {figure} + VALUES({figure})" for figure in FIGURES)
    else:
        sql = insert + "ON CONFLICT (user_id, span, start_day) DO UPDATE SET " + ", ".join(
            f"{figure} = agent_rollups.{figure} + excluded.{figure}" for figure in FIGURES)
    return text(sql).bindparams(bindparam("start_day", type_=Date))


def figures_of(user_id: int, span: str, start: date) -> dict[str, int]:
    """One row's figures (zeros when the agent had nothing in that span)."""
    row = db.session.execute(select(*(getattr(AgentRollup, figure) for figure in FIGURES)).where(
        AgentRollup.user_id == user_id, AgentRollup.span == span, AgentRollup.start_day == start)).first()
    return dict(zip(FIGURES, row, strict=True)) if row else dict.fromkeys(FIGURES, 0)


def today_of(user_id: int, now: datetime | None = None) -> dict[str, int]:
    return figures_of(user_id, Span.DAY, cohort_day(now or utcnow()))


def top(by: str, span: str, start: date, limit: int) -> list[tuple[int, int]]:
    """[(user id, value)] of the agents with the most net commission (by="commission") or new
    shoppers (by="invites") in the span starting on `start`; ties by user id, highest first, so
    the database reads the index backwards and stops at `limit`."""
    value = AgentRollup.invites if by == "invites" else AgentRollup.net_fen
    return [(user_id, int(amount)) for user_id, amount in db.session.execute(
        select(AgentRollup.user_id, value)
        .where(AgentRollup.span == span, AgentRollup.start_day == start, value > 0)
        .order_by(value.desc(), AgentRollup.user_id.desc()).limit(limit))]


def current_periods(user_id: int, now: datetime | None = None) -> dict[str, dict[str, int]]:
    """The agent's rows for today, this week and this month (Beijing), for the console."""
    today = cohort_day(now or utcnow())
    return {span.value: figures_of(user_id, span, span_start(span, today)) for span in Span}
