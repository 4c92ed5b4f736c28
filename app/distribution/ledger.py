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
from datetime import datetime
from enum import StrEnum
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, bindparam, cast, insert, literal, select, text, update

from app.core.labels import labels
from app.core.models import utcnow
from app.distribution import rollups
from app.distribution.commission_models import BUCKETS, AgentAccount, CommissionEntry, CommissionLine
from app.extensions import db


class EntryKind(StrEnum):
    """What moved an agent's money (`commission_entries.kind`); `ref` is the commission refund
    for cancel and clawback, the withdrawal for withdraw_*."""

    ACCRUE = "accrue"
    FREEZE = "freeze"
    RELEASE = "release"
    CANCEL = "cancel"
    CLAWBACK = "clawback"
    WITHDRAW_HOLD = "withdraw_hold"
    WITHDRAW_PAID = "withdraw_paid"
    WITHDRAW_RETURN = "withdraw_return"


ENTRY_KIND_LABELS = labels(EntryKind, {
    EntryKind.ACCRUE: _l("Commission credited"), EntryKind.FREEZE: _l("Order completed, commission frozen"),
    EntryKind.RELEASE: _l("Commission released"), EntryKind.CANCEL: _l("Commission cancelled by a refund"),
    EntryKind.CLAWBACK: _l("Commission clawed back by a refund"), EntryKind.WITHDRAW_HOLD: _l("Withdrawal requested"),
    EntryKind.WITHDRAW_PAID: _l("Withdrawal paid out"), EntryKind.WITHDRAW_RETURN: _l("Withdrawal returned"),
})

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
    if line_id is not None:
        _roll_up(agent_user_id, kind, line_id, deltas)
    return entry


def _roll_up(agent_user_id: int, kind: str, line_id: int, deltas: dict[str, int]) -> None:
    """The entry's change to the rollups of the day its line was created (the caller holds the
    line, so this is an identity-map look-up, not a query)."""
    line = db.session.get(CommissionLine, line_id)
    if line is None:
        return
    figures = rollups.line_figures(kind, **{bucket: deltas.get(bucket, 0)
                                            for bucket in ("pending", "frozen", "available")})
    rollups.add([(agent_user_id, rollups.cohort_day(line.created_at), figures)])


def post_accruals(order_id: int, owed: dict[int, int], connection: Any = None,
                  created_at: datetime | None = None) -> None:
    """The pending entries of an order's new paying lines, the agents' accounts and their
    rollups: what accrual writes for every paid order, kept to three statements. The entries
    are copied from the lines in the database (INSERT … SELECT, keys accrue:<line>:<order>); the
    lines were created in this transaction (at `created_at`), so none of these keys can exist
    yet. Each account is created with its first commission or its pending grows (an upsert:
    pending only grows here, so there is no floor to check), in user-id order, so two orders
    cannot deadlock; the rollups of the lines' day grow the same way, in the same order."""
    if not owed:
        return
    now = created_at or utcnow()
    target = connection or db.session
    target.execute(_ENTRIES_FROM_LINES, {"order_id": order_id, "ref": str(order_id), "now": now})
    target.execute(_pending_upsert(db.session.get_bind().dialect.name), [
        {"user_id": agent, "pending_fen": owed[agent], "frozen_fen": 0, "available_fen": 0, "withdrawing_fen": 0,
         "withdrawn_fen": 0, "updated_at": now} for agent in sorted(owed)])
    day = rollups.cohort_day(now)
    rollups.add([(agent, day, rollups.line_figures(EntryKind.ACCRUE, pending=owed[agent])) for agent in owed],
                target)
    for agent in owed:
        identity = db.session.identity_key(AgentAccount, agent)
        if identity in db.session.identity_map:
            db.session.expire(db.session.identity_map[identity])


def _entries_from_lines():
    lines = CommissionLine.__table__.c
    key = (literal("accrue:") + cast(lines.id, String) + literal(":") + cast(lines.order_id, String))
    zero = literal(0)
    source = (select(key, lines.beneficiary_user_id, lines.id, literal("accrue"), bindparam("ref"), lines.amount_fen,
                     zero, zero, zero, zero, bindparam("now"))
              .where(lines.order_id == bindparam("order_id"), lines.status == "pending"))
    entries = CommissionEntry.__table__.c
    return insert(CommissionEntry.__table__).from_select(
        [entries.key, entries.agent_user_id, entries.line_id, entries.kind, entries.ref, entries.pending_fen,
         entries.frozen_fen, entries.available_fen, entries.withdrawing_fen, entries.withdrawn_fen,
         entries.created_at], source)


_ENTRIES_FROM_LINES = _entries_from_lines()


_UPSERT_COLUMNS = "user_id, pending_fen, frozen_fen, available_fen, withdrawing_fen, withdrawn_fen, updated_at"
_UPSERT_VALUES = ":user_id, :pending_fen, :frozen_fen, :available_fen, :withdrawing_fen, :withdrawn_fen, :updated_at"


@functools.cache
def _pending_upsert(dialect: str):
    """INSERT an account or add to its pending — MySQL/MariaDB or SQLite spelling, built once.
    Written as text: SQLAlchemy's ON DUPLICATE KEY clause is not cached, so the construct was
    compiled again for every paid order."""
    if dialect == "mysql":
        return text(f"INSERT INTO agent_accounts ({_UPSERT_COLUMNS}) VALUES ({_UPSERT_VALUES}) "
                    "ON DUPLICATE KEY UPDATE pending_fen = pending_fen + VALUES(pending_fen), "
                    "updated_at = VALUES(updated_at)")
    return text(f"INSERT INTO agent_accounts ({_UPSERT_COLUMNS}) VALUES ({_UPSERT_VALUES}) "
                "ON CONFLICT (user_id) DO UPDATE SET pending_fen = agent_accounts.pending_fen + excluded.pending_fen, "
                "updated_at = excluded.updated_at")
