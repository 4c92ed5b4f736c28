"""The commission ledger: every change to an agent's buckets is an entry, written in the same
transaction as a conditional UPDATE of the agent's account row.

An entry's `key` (kind:line:ref) is unique, so a replayed job applies nothing twice: `post`
returns None when the entry exists, and a concurrent duplicate fails on the unique key and
rolls its whole transaction back. The UPDATE's WHERE clause refuses to take pending, frozen,
withdrawing or withdrawn below zero (a bug, never a business case); available may go
negative after a clawback, and later commissions net against it.
"""

from __future__ import annotations

import functools

from sqlalchemy import bindparam, case, insert, select, update

from app.core.models import utcnow
from app.distribution.commission_models import BUCKETS, AgentAccount, CommissionEntry
from app.extensions import db

NON_NEGATIVE = ("pending", "frozen", "withdrawing", "withdrawn")


class LedgerError(Exception):
    """An entry would take a bucket that cannot go negative below zero."""


def entry_key(kind: str, line_id: int | None, ref: str | int = "") -> str:
    return f"{kind}:{line_id or ''}:{ref}"


def account_of(user_id: int) -> AgentAccount:
    """The agent's account (an empty, unsaved one when they have none yet)."""
    return db.session.get(AgentAccount, user_id) or AgentAccount(
        user_id=user_id, **{f"{bucket}_fen": 0 for bucket in BUCKETS})


def _account_exists(user_id: int) -> bool:
    return db.session.scalar(select(AgentAccount.user_id).where(AgentAccount.user_id == user_id)) is not None


def _apply(agent_user_id: int, deltas: dict[str, int], guard_available: bool) -> bool:
    columns = {bucket: getattr(AgentAccount, f"{bucket}_fen") for bucket in BUCKETS}
    statement = (update(AgentAccount).where(AgentAccount.user_id == agent_user_id)
                 .values(updated_at=utcnow(),
                         **{f"{bucket}_fen": columns[bucket] + delta for bucket, delta in deltas.items() if delta})
                 .execution_options(synchronize_session=False))
    for bucket in (*NON_NEGATIVE, "available") if guard_available else NON_NEGATIVE:
        if deltas.get(bucket, 0) < 0:
            statement = statement.where(columns[bucket] + deltas[bucket] >= 0)
    return db.session.execute(statement).rowcount == 1


def post(agent_user_id: int, kind: str, *, line_id: int | None = None, ref: str | int = "",
         fresh: bool = False, guard_available: bool = False, **deltas: int) -> CommissionEntry | None:
    """Write one entry and apply its deltas (`pending=-500, frozen=500`); None if already posted.
    `fresh` skips the look-up for an existing entry (for a line created in this transaction);
    `guard_available` refuses (LedgerError) to take available below zero (a withdrawal's hold)."""
    unknown = set(deltas) - set(BUCKETS)
    if unknown:
        raise ValueError(f"unknown buckets {unknown}")
    if not any(deltas.values()):
        return None
    key = entry_key(kind, line_id, ref)
    if not fresh and db.session.scalar(select(CommissionEntry.id).where(CommissionEntry.key == key)) is not None:
        return None
    entry = CommissionEntry(key=key, agent_user_id=agent_user_id, line_id=line_id, kind=kind, ref=str(ref),
                            **{f"{bucket}_fen": deltas.get(bucket, 0) for bucket in BUCKETS})
    db.session.add(entry)
    db.session.flush()  # a concurrent copy of this job fails here on the unique key and rolls back
    if not _apply(agent_user_id, deltas, guard_available):
        if _account_exists(agent_user_id):
            raise LedgerError(f"{key}: {deltas} would take a bucket of agent {agent_user_id} below zero")
        db.session.add(AgentAccount(user_id=agent_user_id, **{f"{bucket}_fen": 0 for bucket in BUCKETS}))
        db.session.flush()  # a concurrent creator makes this an IntegrityError: the job runs again
        if not _apply(agent_user_id, deltas, guard_available):
            raise LedgerError(f"{key}: {deltas} would take a bucket of agent {agent_user_id} below zero")
    identity = db.session.identity_key(AgentAccount, agent_user_id)
    if identity in db.session.identity_map:
        db.session.expire(db.session.identity_map[identity])
    return entry


def post_accruals(accruals: list[tuple[int, int, int]], order_id: int) -> None:
    """The pending entries of an order's new lines — (agent, line id, amount) — in one insert,
    and every agent's account in one UPDATE: what accrual writes for every paid order, kept
    cheap. The lines were created in this transaction, so none of these keys can exist yet;
    the UPDATE locks the account rows in primary-key order, so two orders cannot deadlock."""
    if not accruals:
        return
    now = utcnow()
    db.session.execute(_INSERT_ENTRIES, [
        {"key": entry_key("accrue", line_id, order_id), "agent_user_id": agent, "line_id": line_id,
         "kind": "accrue", "ref": str(order_id), "pending_fen": amount, "frozen_fen": 0, "available_fen": 0,
         "withdrawing_fen": 0, "withdrawn_fen": 0, "created_at": now} for agent, line_id, amount in accruals])
    owed: dict[int, int] = {}
    for agent, _line_id, amount in accruals:
        owed[agent] = owed.get(agent, 0) + amount
    if _add_pending(owed, now) != len(owed):  # first commission of some agents: they get their account
        existing = set(db.session.scalars(select(AgentAccount.user_id).where(AgentAccount.user_id.in_(owed))))
        db.session.execute(insert(AgentAccount.__table__), [
            {"user_id": agent, "pending_fen": amount, "frozen_fen": 0, "available_fen": 0, "withdrawing_fen": 0,
             "withdrawn_fen": 0, "updated_at": now} for agent, amount in owed.items() if agent not in existing])
    for agent in owed:
        identity = db.session.identity_key(AgentAccount, agent)
        if identity in db.session.identity_map:
            db.session.expire(db.session.identity_map[identity])


_INSERT_ENTRIES = insert(CommissionEntry.__table__)


@functools.cache
def _pending_update(agents: int):
    """UPDATE … SET pending = pending + CASE user_id WHEN :a0 THEN :v0 … for `agents` accounts,
    built once per size (a built statement keeps its cache key)."""
    accounts = AgentAccount.__table__.c
    amount = case(*((accounts.user_id == bindparam(f"a{index}"), bindparam(f"v{index}")) for index in range(agents)),
                  else_=0)
    return (update(AgentAccount.__table__)
            .where(accounts.user_id.in_([bindparam(f"a{index}") for index in range(agents)]))
            .values(pending_fen=accounts.pending_fen + amount, updated_at=bindparam("now")))


def _add_pending(owed: dict[int, int], now) -> int:
    """One UPDATE adding each agent's amount to pending; how many accounts it found."""
    if not owed:
        return 0
    values: dict = {"now": now}
    for index, (agent, amount) in enumerate(sorted(owed.items())):
        values[f"a{index}"], values[f"v{index}"] = agent, amount
    return db.session.execute(_pending_update(len(owed)), values).rowcount
