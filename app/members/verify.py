"""Checking the wallets: every wallet's balance and points equal the sums of their ledgers
(balance_entries, points_entries), and every entry's running figure (balance_after_fen,
points_after) is the one before it plus its own change. `flask members verify` prints what
this finds.

The ledgers run to millions of rows, so nothing here loads a table: the database compares
and sends back only the discrepancies. Wallets are compared with their ledgers' sums in
keyset batches of BATCH user ids (a batch holds every row of its users, so a wallet whose
entries lost it is found too); entries are walked in keyset batches of BATCH ids, each checked
against the entry before it of the same user (an index step back, so a range of days needs
nothing from outside it). Memory stays flat whatever the size of the shop, and everything is
read in one transaction. A scope narrows the walk to one shopper or to the entries of a range
of Beijing days.

`total_spent_fen` is not checked: no flow keeps it (it is not backed by a ledger), so there
is nothing to recompute it from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, or_, select, union
from sqlalchemy.orm import aliased

from app.accounts.models import User
from app.core.china_time import day_start_utc
from app.extensions import db
from app.members.models import BalanceEntry, PointsEntry, Wallet

BATCH = 5000

Progress = Callable[[int], None]


def _ignore(_done: int) -> None:
    return None


@dataclass(frozen=True)
class Ledger:
    """One of a wallet's ledgers: its entries, their change and running figure, and the
    wallet's figure they add up to."""

    name: str
    entry: type[BalanceEntry] | type[PointsEntry]
    delta: str
    after: str
    figure: str


LEDGERS = (Ledger("balance", BalanceEntry, "delta_fen", "balance_after_fen", "balance_fen"),
           Ledger("points", PointsEntry, "delta", "points_after", "points"))


@dataclass(frozen=True)
class Scope:
    """What to check: every wallet, one shopper's, or the entries of a range of Beijing days
    (`until` inclusive). Balances and points are totals over all time, so a range of days
    checks entries only."""

    user_id: int | None = None
    since: date | None = None
    until: date | None = None

    @property
    def dated(self) -> bool:
        return self.since is not None or self.until is not None


EVERYTHING = Scope()


def _within(column, after: int, upper: int | None) -> list:
    return [column > after] if upper is None else [column > after, column <= upper]


def _users(column, scope: Scope, after: int, upper: int | None) -> list:
    return [column == scope.user_id] if scope.user_id is not None else _within(column, after, upper)


def _wallets_that_disagree(scope: Scope, after: int, upper: int | None):
    """Every user in the batch with a wallet or an entry, whose wallet is missing or differs
    from its ledgers' sums (NULL: no entries)."""
    keys = union(select(Wallet.user_id.label("user_id")).where(*_users(Wallet.user_id, scope, after, upper)),
                 *(select(ledger.entry.user_id).where(*_users(ledger.entry.user_id, scope, after, upper))
                   for ledger in LEDGERS)).subquery()
    sums = [select(ledger.entry.user_id.label("user_id"), func.sum(getattr(ledger.entry, ledger.delta)).label("total"))
            .where(*_users(ledger.entry.user_id, scope, after, upper)).group_by(ledger.entry.user_id).subquery()
            for ledger in LEDGERS]
    held = [getattr(Wallet, ledger.figure) for ledger in LEDGERS]
    statement = select(keys.c.user_id, Wallet.user_id.is_not(None), *held, *(total.c.total for total in sums))
    statement = statement.select_from(keys).outerjoin(Wallet, Wallet.user_id == keys.c.user_id)
    for total in sums:
        statement = statement.outerjoin(total, total.c.user_id == keys.c.user_id)
    differs = (have != func.coalesce(total.c.total, 0) for have, total in zip(held, sums, strict=True))
    return statement.where(or_(Wallet.user_id.is_(None), *differs)).order_by(keys.c.user_id)


def wallet_problems(scope: Scope = EVERYTHING, progress: Progress = _ignore) -> Iterator[str]:
    """Batches of BATCH user ids (the users table numbers everyone a wallet or entry can
    belong to); one shopper's wallet in one step."""
    if scope.dated:
        return
    after = 0
    while True:
        upper = None if scope.user_id is not None else db.session.scalar(
            select(User.id).where(User.id > after).order_by(User.id).offset(BATCH - 1).limit(1))
        for user_id, has_wallet, *values in db.session.execute(_wallets_that_disagree(scope, after, upper)):
            held, summed = values[:len(LEDGERS)], values[len(LEDGERS):]
            for ledger, have, total in zip(LEDGERS, held, summed, strict=True):
                want = int(total or 0)
                if not has_wallet:
                    if total is not None:
                        yield f"wallet of user {user_id}: missing, its {ledger.name} entries add up to {want}"
                elif have != want:
                    yield (f"wallet of user {user_id}: {ledger.figure} is {have}, "
                           f"its {ledger.name} entries add up to {want}")
        if upper is None:
            progress(1 if scope.user_id is not None else BATCH)
            return
        progress(upper - after)
        after = upper


def _entry_filters(ledger: Ledger, scope: Scope) -> list:
    entry = ledger.entry
    filters = []
    if scope.user_id is not None:
        filters.append(entry.user_id == scope.user_id)
    if scope.since is not None:
        filters.append(entry.created_at >= day_start_utc(scope.since))
    if scope.until is not None:
        filters.append(entry.created_at < day_start_utc(scope.until + timedelta(days=1)))
    return filters


def _entries_that_disagree(ledger: Ledger, after: int, upper: int | None, filters: list):
    """The entries in (after, upper] whose running figure is not the one of the user's entry
    before them (0 for their first) plus their own change."""
    entry, before = ledger.entry, aliased(ledger.entry)
    previous = (select(getattr(before, ledger.after)).where(before.user_id == entry.user_id, before.id < entry.id)
                .order_by(before.id.desc()).limit(1).correlate(entry).scalar_subquery())
    delta, running = getattr(entry, ledger.delta), getattr(entry, ledger.after)
    return (select(entry.id, entry.user_id, running, previous, delta)
            .where(*_within(entry.id, after, upper), *filters, running != func.coalesce(previous, 0) + delta)
            .order_by(entry.id))


def entry_problems(ledger: Ledger, scope: Scope = EVERYTHING, progress: Progress = _ignore) -> Iterator[str]:
    """Batches of BATCH entry ids of one ledger (of one shopper's, or of a range of days)."""
    entry, filters = ledger.entry, _entry_filters(ledger, scope)
    after = 0
    while True:
        upper = db.session.scalar(select(entry.id).where(entry.id > after, *filters)
                                  .order_by(entry.id).offset(BATCH - 1).limit(1))
        for entry_id, user_id, have, previous, delta in db.session.execute(
                _entries_that_disagree(ledger, after, upper, filters)):
            before = previous or 0
            yield (f"{ledger.name} entry {entry_id} of user {user_id}: {ledger.after} is {have}, "
                   f"expected {before + delta} ({before} before it, {delta:+d} by it)")
        if upper is None:
            progress(BATCH)
            return
        progress(BATCH if scope.user_id is not None else upper - after)
        after = upper


def workload(scope: Scope = EVERYTHING) -> int:
    """Roughly how much `problems` walks, in the units it reports progress in (for a progress
    bar): one shopper's wallet and entries counted, otherwise spans of ids (a count would
    itself scan millions of rows)."""
    entries = 0
    for ledger in LEDGERS:
        if scope.user_id is not None:
            entries += db.session.scalar(select(func.count()).select_from(ledger.entry)
                                         .where(*_entry_filters(ledger, scope))) or 0
        else:
            entries += db.session.scalar(select(func.max(ledger.entry.id))) or 0
    if scope.dated:
        return int(entries)
    users = 1 if scope.user_id is not None else db.session.scalar(select(func.max(User.id))) or 0
    return int(users) + int(entries)


def problems(scope: Scope = EVERYTHING, progress: Progress = _ignore) -> Iterator[str]:
    yield from wallet_problems(scope, progress)
    for ledger in LEDGERS:
        yield from entry_problems(ledger, scope, progress)
