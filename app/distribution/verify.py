"""Checking the books: every account equals the sums of its entries, every line's entries add
up to what the line says it still pays and sit in the bucket of its status, and every team
counter equals a count from the bindings. `flask distribution verify` prints what this finds."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import func, select

from app.distribution import team
from app.distribution.agent_models import TeamCounter
from app.distribution.commission_models import BUCKETS, AgentAccount, CommissionEntry, CommissionLine
from app.distribution.states import LineStatus
from app.extensions import db

LINE_BUCKET = {LineStatus.PENDING: "pending", LineStatus.FROZEN: "frozen", LineStatus.AVAILABLE: "available"}


def _sums(group_by) -> dict[int, tuple[int, ...]]:
    columns = [func.coalesce(func.sum(getattr(CommissionEntry, f"{bucket}_fen")), 0) for bucket in BUCKETS]
    return {key: tuple(int(value) for value in values) for key, *values in db.session.execute(
        select(group_by, *columns).group_by(group_by))}


def account_problems() -> Iterator[str]:
    sums = _sums(CommissionEntry.agent_user_id)
    for account in db.session.scalars(select(AgentAccount).order_by(AgentAccount.user_id)):
        held = tuple(getattr(account, f"{bucket}_fen") for bucket in BUCKETS)
        expected = sums.pop(account.user_id, (0,) * len(BUCKETS))
        for bucket, have, want in zip(BUCKETS, held, expected, strict=True):
            if have != want:
                yield f"account {account.user_id}: {bucket} is {have}, its entries add up to {want}"
    for user_id in sorted(sums):
        yield f"account {user_id}: missing, its entries add up to {dict(zip(BUCKETS, sums[user_id], strict=True))}"


def line_problems() -> Iterator[str]:
    sums = _sums(CommissionEntry.line_id)
    sums.pop(None, None)
    for line in db.session.scalars(select(CommissionLine).order_by(CommissionLine.id)):
        got = dict(zip(BUCKETS, sums.pop(line.id, (0,) * len(BUCKETS)), strict=True))
        want = dict.fromkeys(BUCKETS, 0)
        if line.status in LINE_BUCKET:
            want[LINE_BUCKET[line.status]] = line.amount_fen - line.cancelled_fen - line.clawed_back_fen
        if got != want:
            yield f"line {line.id} ({line.status}): entries hold {got}, expected {want}"
    for line_id in sorted(sums):
        yield f"entries for line {line_id}, which does not exist"


def team_problems() -> Iterator[str]:
    expected = team.recount()
    for row in db.session.scalars(select(TeamCounter).order_by(TeamCounter.user_id)):
        want = expected.pop(row.user_id, team.TeamSize(0, 0, 0))
        have = team.TeamSize(row.direct_count, row.second_count, row.total_count)
        if have != want:
            yield f"team of {row.user_id}: counters say {have}, the bindings say {want}"
    for user_id in sorted(expected):
        yield f"team of {user_id}: no counters, the bindings say {expected[user_id]}"


def problems() -> Iterator[str]:
    yield from account_problems()
    yield from line_problems()
    yield from team_problems()
