"""Checking the wallets: every wallet's balance, points and growth equal the sums of their
ledgers (balance_entries, points_entries, growth_entries), and every entry's running figure
(balance_after_fen, points_after, growth_after) is the one before it plus its own change.
`flask members verify` prints what this finds.

The ledgers run to millions of rows, so nothing here loads a table: the shop is walked in
keyset batches of BATCH user ids (a batch holds every row of its users: a wallet, its entries,
and so each entry's predecessor), and for each batch the database compares the wallets with
their ledgers' sums and every entry with the one before it (a window over the user's entries:
one read of each entry, where looking each predecessor up would step through the user's
history again per entry) and sends back only the discrepancies. Memory stays flat whatever
the size of the shop, and everything is read in one transaction. Problems come out by user:
the wallet's, then its balance entries', then its points entries', then its growth entries'. A scope narrows the walk to
one shopper or to the entries of a range of Beijing days.

`total_spent_fen` is not checked: no flow keeps it (it is not backed by a ledger), so there
is nothing to recompute it from.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from sqlalchemy import func, or_, select, union

from app.accounts.models import User
from app.core.china_time import day_start_utc
from app.extensions import db
from app.members.models import BalanceEntry, GrowthEntry, PointsEntry, Wallet

BATCH = 5000

Progress = Callable[[int], None]


def _ignore(_done: int) -> None:
    return None


@dataclass(frozen=True)
class Ledger:
    """One of a wallet's ledgers: its entries, their change and running figure, and the
    wallet's figure they add up to."""

    name: str
    entry: type[BalanceEntry] | type[PointsEntry] | type[GrowthEntry]
    delta: str
    after: str
    figure: str


LEDGERS = (Ledger("balance", BalanceEntry, "delta_fen", "balance_after_fen", "balance_fen"),
           Ledger("points", PointsEntry, "delta", "points_after", "points"),
           Ledger("growth", GrowthEntry, "delta", "growth_after", "growth"))


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
    return statement.where(or_(Wallet.user_id.is_(None), *differs))


class Found(NamedTuple):
    """A discrepancy and where it sorts: by user, the wallet's (section 0, by ledger) before
    each ledger's entries (section 1 + the ledger's place, by entry id)."""

    user_id: int
    section: int
    position: int
    text: str


def _wallet_problems(scope: Scope, after: int, upper: int | None) -> Iterator[Found]:
    for user_id, has_wallet, *values in db.session.execute(_wallets_that_disagree(scope, after, upper)):
        held, summed = values[:len(LEDGERS)], values[len(LEDGERS):]
        for place, (ledger, have, total) in enumerate(zip(LEDGERS, held, summed, strict=True)):
            want = int(total or 0)
            if not has_wallet and total is not None:
                yield Found(user_id, 0, place, f"wallet of user {user_id}: missing, "
                                               f"its {ledger.name} entries add up to {want}")
            elif has_wallet and have != want:
                yield Found(user_id, 0, place, f"wallet of user {user_id}: {ledger.figure} is {have}, "
                                               f"its {ledger.name} entries add up to {want}")


def _days(created_at, scope: Scope) -> list:
    filters = []
    if scope.since is not None:
        filters.append(created_at >= day_start_utc(scope.since))
    if scope.until is not None:
        filters.append(created_at < day_start_utc(scope.until + timedelta(days=1)))
    return filters


def _entries_that_disagree(ledger: Ledger, scope: Scope, after: int, upper: int | None):
    """The batch's entries (of the scope's days) whose running figure is not the one of the
    user's entry before them (0 for their first) plus their own change."""
    entry = ledger.entry
    delta, running = getattr(entry, ledger.delta), getattr(entry, ledger.after)
    chain = (select(entry.id, entry.user_id, entry.created_at, running.label("running"), delta.label("delta"),
                    func.lag(running).over(partition_by=entry.user_id, order_by=entry.id).label("previous"))
             .where(*_users(entry.user_id, scope, after, upper)).subquery())
    broken = chain.c.running != func.coalesce(chain.c.previous, 0) + chain.c.delta
    return (select(chain.c.id, chain.c.user_id, chain.c.running, chain.c.previous, chain.c.delta)
            .where(*_days(chain.c.created_at, scope), broken))


def _entry_problems(scope: Scope, after: int, upper: int | None) -> Iterator[Found]:
    for place, ledger in enumerate(LEDGERS):
        for entry_id, user_id, have, previous, delta in db.session.execute(
                _entries_that_disagree(ledger, scope, after, upper)):
            before = previous or 0
            yield Found(user_id, 1 + place, entry_id,
                        f"{ledger.name} entry {entry_id} of user {user_id}: {ledger.after} is {have}, "
                        f"expected {before + delta} ({before} before it, {delta:+d} by it)")


def problems(scope: Scope = EVERYTHING, progress: Progress = _ignore) -> Iterator[str]:
    """Batches of BATCH user ids (the users table numbers everyone a wallet or an entry can
    belong to); one shopper in one step. A range of days checks entries only: balances and
    points are totals over all time."""
    after = 0
    while True:
        upper = None if scope.user_id is not None else db.session.scalar(
            select(User.id).where(User.id > after).order_by(User.id).offset(BATCH - 1).limit(1))
        found = [] if scope.dated else list(_wallet_problems(scope, after, upper))
        found.extend(_entry_problems(scope, after, upper))
        for problem in sorted(found):
            yield problem.text
        if upper is None:
            progress(1 if scope.user_id is not None else BATCH)
            return
        progress(upper - after)
        after = upper


def workload(scope: Scope = EVERYTHING) -> int:
    """How much `problems` walks, in the units it reports progress in (for a progress bar):
    the span of user ids (a count would itself scan a big table), or 1 for one shopper."""
    if scope.user_id is not None:
        return 1
    return int(db.session.scalar(select(func.max(User.id))) or 0)
