"""Checking the books: every account equals the sums of its entries, every line's entries add
up to what the line says it still pays and sit in the bucket of its status, every team
counter equals a count from the bindings, and every per-agent rollup equals its lines and
bindings (days) or its days (weeks, months). `flask distribution verify` prints what this finds.

A shop's books run to millions of lines, so nothing here loads a table: the database compares
(lines in keyset batches of ids, accounts in one pass over the ledger) and sends back only the
discrepancies; team counters are checked in batches against a recursive count. Memory stays
flat whatever the size of the shop, and everything is read in one transaction. The problems
come out in id order, those about rows that are missing last, as they always did.
A scope narrows the walk to one agent or to the lines of a range of Beijing days.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import case, func, literal, or_, select, union_all
from sqlalchemy.orm import aliased

from app.core.china_time import day_start_utc
from app.distribution import rollup_rebuild, team
from app.distribution.agent_models import ReferralBinding, TeamCounter
from app.distribution.commission_models import BUCKETS, AgentAccount, CommissionEntry, CommissionLine
from app.distribution.rollup_models import FIGURES, AgentRollup, Span
from app.distribution.states import LineStatus
from app.extensions import db

LINE_BUCKET = {LineStatus.PENDING: "pending", LineStatus.FROZEN: "frozen", LineStatus.AVAILABLE: "available"}
_BUCKET_INDEX = {status: BUCKETS.index(bucket) for status, bucket in LINE_BUCKET.items()}
BATCH = 5000
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


def _entry_sums() -> list:
    return [func.coalesce(func.sum(getattr(CommissionEntry, f"{bucket}_fen")), 0) for bucket in BUCKETS]


def account_problems(scope: Scope = EVERYTHING, progress: Progress = _ignore) -> Iterator[str]:
    """The ledger is summed per agent in one pass (sequential, where a range per batch of
    accounts would read it in agent order, page by page at random) and compared with the
    accounts in the database, in the same transaction as the other checks: only discrepancies
    come back."""
    if scope.dated:
        return
    only = [AgentAccount.user_id == scope.agent_id] if scope.agent_id is not None else []
    only_entries = [CommissionEntry.agent_user_id == scope.agent_id] if scope.agent_id is not None else []
    sums = (select(CommissionEntry.agent_user_id.label("agent_user_id"),
                   *(total.label(bucket) for bucket, total in zip(BUCKETS, _entry_sums(), strict=True)))
            .where(*only_entries).group_by(CommissionEntry.agent_user_id).subquery())
    held = [getattr(AgentAccount, f"{bucket}_fen") for bucket in BUCKETS]
    summed = [func.coalesce(sums.c[bucket], 0) for bucket in BUCKETS]
    disagreeing = (select(AgentAccount.user_id, *held, *summed)
                   .outerjoin(sums, sums.c.agent_user_id == AgentAccount.user_id)
                   .where(*only, or_(*(have != want for have, want in zip(held, summed, strict=True))))
                   .order_by(AgentAccount.user_id))
    for user_id, *values in db.session.execute(disagreeing):
        for bucket, have, want in zip(BUCKETS, values[:len(BUCKETS)], values[len(BUCKETS):], strict=True):
            if have != want:
                yield f"account {user_id}: {bucket} is {have}, its entries add up to {int(want)}"
    missing = (select(sums).outerjoin(AgentAccount, AgentAccount.user_id == sums.c.agent_user_id)
               .where(AgentAccount.user_id.is_(None)).order_by(sums.c.agent_user_id))
    for user_id, *expected in db.session.execute(missing):
        yield (f"account {user_id}: missing, its entries add up to "
               f"{dict(zip(BUCKETS, map(int, expected), strict=True))}")
    progress(db.session.scalar(select(func.count()).select_from(AgentAccount).where(*only)) or 0)


def _line_filters(scope: Scope) -> list:
    filters = []
    if scope.agent_id is not None:
        filters.append(CommissionLine.beneficiary_user_id == scope.agent_id)
    if scope.since is not None:
        filters.append(CommissionLine.created_at >= day_start_utc(scope.since))
    if scope.until is not None:
        filters.append(CommissionLine.created_at < day_start_utc(scope.until + timedelta(days=1)))
    return filters


def _within(column, after: int, upper: int | None) -> list:
    return [column > after] if upper is None else [column > after, column <= upper]


def _lines_that_disagree(after: int, upper: int | None, filters: list):
    """The lines in (after, upper] whose entries do not add up to what they still pay, in the
    bucket of their status: compared in the database, so only discrepancies come back."""
    line = CommissionLine
    sums = _entry_sums()
    held = line.amount_fen - line.cancelled_fen - line.clawed_back_fen
    expected = {bucket: case((line.status == status, held), else_=0) for status, bucket in LINE_BUCKET.items()}
    return (select(line.id, line.status, line.amount_fen, line.cancelled_fen, line.clawed_back_fen, *sums)
            .outerjoin(CommissionEntry, CommissionEntry.line_id == line.id)
            .where(*_within(line.id, after, upper), *filters)
            .group_by(line.id, line.status, line.amount_fen, line.cancelled_fen, line.clawed_back_fen)
            .having(or_(*(total != expected.get(bucket, 0) for bucket, total in zip(BUCKETS, sums, strict=True))))
            .order_by(line.id))


def _orphan_entries(after: int, upper: int | None):
    return (select(CommissionEntry.line_id).distinct()
            .outerjoin(CommissionLine, CommissionLine.id == CommissionEntry.line_id)
            .where(*_within(CommissionEntry.line_id, after, upper), CommissionLine.id.is_(None))
            .order_by(CommissionEntry.line_id))


def line_problems(scope: Scope = EVERYTHING, progress: Progress = _ignore) -> Iterator[str]:
    """Batches of BATCH line ids; for the whole books, entries whose line does not exist too."""
    filters = _line_filters(scope)
    orphans: list[int] = []
    after = 0
    while True:
        upper = db.session.scalar(select(CommissionLine.id).where(CommissionLine.id > after, *filters)
                                  .order_by(CommissionLine.id).offset(BATCH - 1).limit(1))
        for line_id, status, amount, cancelled, clawed_back, *sums in db.session.execute(
                _lines_that_disagree(after, upper, filters)):
            got = tuple(map(int, sums))
            index = _BUCKET_INDEX.get(status)
            want = ZERO if index is None else (*ZERO[:index], amount - cancelled - clawed_back, *ZERO[index + 1:])
            yield (f"line {line_id} ({status}): entries hold {dict(zip(BUCKETS, got, strict=True))}, "
                   f"expected {dict(zip(BUCKETS, want, strict=True))}")
        if scope.whole:
            orphans.extend(db.session.scalars(_orphan_entries(after, upper)))
        if upper is None:
            progress(BATCH)
            break
        progress(BATCH if scope.agent_id is not None else upper - after)
        after = upper
    for line_id in orphans:
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


def grand_referrer_problems(scope: Scope = EVERYTHING) -> Iterator[str]:
    """Every binding's grand referrer against its referrer's binding, in one pass (a join on
    the primary key); with --agent, the bindings whose grand referrer is or should be them."""
    if scope.dated:
        return
    bound, upper = ReferralBinding, aliased(ReferralBinding)
    should = upper.referrer_user_id
    only = [or_(bound.grand_referrer_user_id == scope.agent_id, should == scope.agent_id)] \
        if scope.agent_id is not None else []
    for user_id, have, want in db.session.execute(
            select(bound.user_id, bound.grand_referrer_user_id, should)
            .outerjoin(upper, upper.user_id == bound.referrer_user_id)
            .where(bound.grand_referrer_user_id.is_distinct_from(should), *only).order_by(bound.user_id)):
        yield f"binding of {user_id}: grand referrer is {have}, the bindings say {want}"


def rollup_problems(scope: Scope = EVERYTHING) -> Iterator[str]:
    """Each kept day row against the lines created and the shoppers bound that Beijing day,
    then (over all time only) each week and month row against its days. The kept rows and the
    source rows go through one GROUP BY each, marked by side, so the database reads every
    source once and sends back only the rows whose sides disagree (a missing row is zeros)."""
    kept = AgentRollup
    mine = [kept.user_id == scope.agent_id] if scope.agent_id is not None else []
    dated = [*([kept.start_day >= scope.since] if scope.since else []),
             *([kept.start_day <= scope.until] if scope.until else [])]
    figures = [getattr(kept, figure) for figure in FIGURES]
    stored = select(kept.user_id, kept.start_day, literal(1).label("side"), *figures).where(
        kept.span == Span.DAY, *mine, *dated)
    sources = rollup_rebuild.source_rows(rollup_rebuild.Scope(scope.agent_id, scope.since, scope.until),
                                         literal(0).label("side"))
    yield from _rollups_that_disagree(union_all(stored, *sources), Span.DAY, "its lines and bindings")
    if scope.dated:
        return
    for span in (Span.WEEK, Span.MONTH):
        start = rollup_rebuild.SPAN_START[span](kept.start_day)
        stored = select(kept.user_id, kept.start_day, literal(1).label("side"), *figures).where(
            kept.span == span, *mine)
        days = select(kept.user_id, start, literal(0), *figures).where(kept.span == Span.DAY, *mine)
        yield from _rollups_that_disagree(union_all(stored, days), span, "its days")


def _rollups_that_disagree(rows, span: str, source: str) -> Iterator[str]:
    both = rows.subquery()
    sides = [[func.sum(case((both.c.side == side, both.c[figure]), else_=0)) for figure in FIGURES]
             for side in (1, 0)]
    statement = (select(both.c.user_id, both.c.start_day, *sides[0], *sides[1])
                 .group_by(both.c.user_id, both.c.start_day)
                 .having(or_(*(have != want for have, want in zip(*sides, strict=True))))
                 .order_by(both.c.user_id, both.c.start_day))
    for user_id, start, *values in db.session.execute(statement):
        differing = [(figure, int(have), int(want)) for figure, have, want
                     in zip(FIGURES, values[:len(FIGURES)], values[len(FIGURES):], strict=True) if have != want]
        yield (f"rollup of {user_id} ({span} from {start}): holds {dict((f, have) for f, have, _w in differing)}, "
               f"{source} add up to {dict((f, want) for f, _h, want in differing)}")


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
    yield from grand_referrer_problems(scope)
    yield from rollup_problems(scope)
