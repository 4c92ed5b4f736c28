"""Checking the books: every account equals the sums of its entries, every line's entries add
up to what the line says it still pays and sit in the bucket of its status, and every team
counter equals a count from the bindings. `flask distribution verify` prints what this finds.

A shop's books run to millions of lines, so nothing here loads a table: each check walks its
rows in keyset batches (ids in order), and the database adds up the entries (or counts the
team) of just that batch's id range, so memory stays flat whatever the size of the shop. The
problems come out in id order, those about rows that are missing last, as they always did.
A scope narrows the walk to one agent or to the lines of a range of Beijing days.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from app.core.china_time import day_start_utc
from app.distribution import team
from app.distribution.agent_models import TeamCounter
from app.distribution.commission_models import BUCKETS, AgentAccount, CommissionEntry, CommissionLine
from app.distribution.states import LineStatus
from app.extensions import db

LINE_BUCKET = {LineStatus.PENDING: "pending", LineStatus.FROZEN: "frozen", LineStatus.AVAILABLE: "available"}
BATCH = 2000
ZERO = (0,) * len(BUCKETS)

Progress = Callable[[int], None]


def _ignore(_done: int) -> None:
    return None


@dataclass(frozen=True)
class Scope:
    """What to check: the whole books, one agent's, or the lines of a range of Beijing days
    (`until` inclusive). Balances and team sizes are totals over all time, so a range of days
    checks lines only."""

    agent_id: int | None = None
    since: date | None = None
    until: date | None = None

    @property
    def dated(self) -> bool:
        return self.since is not None or self.until is not None

    @property
    def whole(self) -> bool:
        return self.agent_id is None and not self.dated


EVERYTHING = Scope()


def _bucket_sums(group_by, after: int, upper: int | None, *conditions) -> dict[int, tuple[int, ...]]:
    """Entry sums per `group_by` key in (after, upper] (upper None: no end)."""
    columns = [func.coalesce(func.sum(getattr(CommissionEntry, f"{bucket}_fen")), 0) for bucket in BUCKETS]
    statement = select(group_by, *columns).where(group_by > after, *conditions).group_by(group_by)
    if upper is not None:
        statement = statement.where(group_by <= upper)
    return {key: tuple(int(value) for value in values) for key, *values in db.session.execute(statement)}


def account_problems(scope: Scope = EVERYTHING, progress: Progress = _ignore) -> Iterator[str]:
    if scope.dated:
        return
    only = [AgentAccount.user_id == scope.agent_id] if scope.agent_id is not None else []
    only_entries = [CommissionEntry.agent_user_id == scope.agent_id] if scope.agent_id is not None else []
    columns = [getattr(AgentAccount, f"{bucket}_fen") for bucket in BUCKETS]
    missing: list[tuple[int, tuple[int, ...]]] = []
    after = 0
    while True:
        accounts = db.session.execute(select(AgentAccount.user_id, *columns)
                                      .where(AgentAccount.user_id > after, *only)
                                      .order_by(AgentAccount.user_id).limit(BATCH)).all()
        upper = accounts[-1].user_id if len(accounts) == BATCH else None
        sums = _bucket_sums(CommissionEntry.agent_user_id, after, upper, *only_entries)
        for user_id, *held in accounts:
            expected = sums.pop(user_id, ZERO)
            for bucket, have, want in zip(BUCKETS, held, expected, strict=True):
                if have != want:
                    yield f"account {user_id}: {bucket} is {have}, its entries add up to {want}"
        missing.extend(sums.items())
        progress(len(accounts))
        if upper is None:
            break
        after = upper
    for user_id, expected in sorted(missing):
        yield f"account {user_id}: missing, its entries add up to {dict(zip(BUCKETS, expected, strict=True))}"


def _line_filters(scope: Scope) -> list:
    filters = []
    if scope.agent_id is not None:
        filters.append(CommissionLine.beneficiary_user_id == scope.agent_id)
    if scope.since is not None:
        filters.append(CommissionLine.created_at >= day_start_utc(scope.since))
    if scope.until is not None:
        filters.append(CommissionLine.created_at < day_start_utc(scope.until + timedelta(days=1)))
    return filters


def line_problems(scope: Scope = EVERYTHING, progress: Progress = _ignore) -> Iterator[str]:
    """Whole books: entries are summed over each batch's id range, so entries of a line that
    does not exist turn up too. Scoped: over the batch's lines only."""
    filters = _line_filters(scope)
    orphans: list[int] = []
    after = 0
    while True:
        lines = db.session.execute(select(CommissionLine.id, CommissionLine.status, CommissionLine.amount_fen,
                                          CommissionLine.cancelled_fen, CommissionLine.clawed_back_fen)
                                   .where(CommissionLine.id > after, *filters)
                                   .order_by(CommissionLine.id).limit(BATCH)).all()
        upper = lines[-1].id if len(lines) == BATCH else None
        if scope.whole:
            sums = _bucket_sums(CommissionEntry.line_id, after, upper)
        else:
            sums = _bucket_sums(CommissionEntry.line_id, after, upper,
                                CommissionEntry.line_id.in_([line.id for line in lines])) if lines else {}
        for line in lines:
            got = dict(zip(BUCKETS, sums.pop(line.id, ZERO), strict=True))
            want = dict.fromkeys(BUCKETS, 0)
            if line.status in LINE_BUCKET:
                want[LINE_BUCKET[line.status]] = line.amount_fen - line.cancelled_fen - line.clawed_back_fen
            if got != want:
                yield f"line {line.id} ({line.status}): entries hold {got}, expected {want}"
        orphans.extend(sums)
        progress(len(lines) if scope.agent_id is not None else (lines[-1].id - after if lines else 0))
        if upper is None:
            break
        after = upper
    for line_id in sorted(orphans):
        yield f"entries for line {line_id}, which does not exist"


def team_problems(scope: Scope = EVERYTHING, progress: Progress = _ignore) -> Iterator[str]:
    if scope.dated:
        return
    only = [TeamCounter.user_id == scope.agent_id] if scope.agent_id is not None else []
    missing: list[tuple[int, team.TeamSize]] = []
    after = 0
    while True:
        counters = db.session.execute(select(TeamCounter.user_id, TeamCounter.direct_count, TeamCounter.second_count,
                                             TeamCounter.total_count)
                                      .where(TeamCounter.user_id > after, *only)
                                      .order_by(TeamCounter.user_id).limit(BATCH)).all()
        upper = counters[-1].user_id if len(counters) == BATCH else None
        if scope.agent_id is not None:
            expected = {scope.agent_id: team.size_below(scope.agent_id)}
        else:
            expected = team.sizes_below(after, upper)
        for user_id, *counts in counters:
            want = expected.pop(user_id, team.TeamSize(0, 0, 0))
            have = team.TeamSize(*counts)
            if have != want:
                yield f"team of {user_id}: counters say {have}, the bindings say {want}"
        missing.extend((user_id, size) for user_id, size in expected.items() if size.total)
        progress(len(counters))
        if upper is None:
            break
        after = upper
    for user_id, size in sorted(missing):
        yield f"team of {user_id}: no counters, the bindings say {size}"


def workload(scope: Scope = EVERYTHING) -> int:
    """Roughly how much `problems` walks, in the units it reports progress in (for a progress
    bar): rows of accounts and counters, and lines — one agent's counted, otherwise the span of
    line ids, since a count would itself scan millions of rows."""
    if scope.agent_id is not None:
        lines = db.session.scalar(select(func.count()).select_from(CommissionLine).where(*_line_filters(scope)))
    else:
        lines = db.session.scalar(select(func.max(CommissionLine.id)))
    if scope.dated:
        return int(lines or 0)
    accounts = db.session.scalar(select(func.count()).select_from(AgentAccount).where(
        *([AgentAccount.user_id == scope.agent_id] if scope.agent_id is not None else [])))
    counters = db.session.scalar(select(func.count()).select_from(TeamCounter).where(
        *([TeamCounter.user_id == scope.agent_id] if scope.agent_id is not None else [])))
    return int(accounts or 0) + int(lines or 0) + int(counters or 0)


def problems(scope: Scope = EVERYTHING, progress: Progress = _ignore) -> Iterator[str]:
    yield from account_problems(scope, progress)
    yield from line_problems(scope, progress)
    yield from team_problems(scope, progress)
