"""Change a small bookkeeping row (a counter, a window) in place, creating it when missing, on
SQLite and MariaDB alike, inside the caller's transaction.

The change itself is a plain UPDATE by primary key, which on InnoDB locks that one row only.
Creating a missing row inside the caller's transaction is what deadlocked fifty checkouts on a
fresh MariaDB: an UPDATE or INSERT … ON DUPLICATE KEY UPDATE that finds no row locks the gap
where it would go, every checkout of the moment holds such a gap lock on the same gap, and each
one's insert then waits for the others' (1213, "Deadlock found"). So on MariaDB a row that the
transaction cannot see is first created, empty (`blank`: values that change nothing), on a
short connection of its own that commits at once and holds nothing else, and the UPDATE
follows on the committed row. The existence check is a plain consistent read (no lock), and the
short connection inserts only when its own fresh read finds nothing, so it never waits for a
lock held by a transaction that could be waiting for the caller. SQLite serialises writers, so
there the row is simply upserted in the transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine, Table, create_engine, exists, select, update
from sqlalchemy.dialects import mysql, sqlite
from sqlalchemy.pool import NullPool

Changes = Callable[[Mapping[str, Any]], dict[str, Any]]


def upsert(connection: Connection, table: Table, row: dict[str, Any], changes: Changes,
           blank: dict[str, Any] | None = None) -> None:
    """Set `changes(row)` on the row of `table` with `row`'s primary key, creating it when
    missing. `changes` receives the incoming values (the dict, or the upsert's inserted
    columns) and returns {column: expression}, e.g. `lambda new: {"n": table.c.n + new["n"]}`;
    `blank` is the row as created before any change (default: `row` itself, right for changes
    that only widen or take a maximum)."""
    key = [column.name for column in table.primary_key]
    where = [table.c[name] == row[name] for name in key]
    if connection.dialect.name == "mysql" and not connection.execute(select(exists().where(*where))).scalar():
        _create_committed(connection, table, where, blank or row)
    if connection.execute(update(table).where(*where).values(changes(row))).rowcount:  # FOUND_ROWS on MariaDB
        return
    connection.execute(_insert_or_update(connection, table, row, key, changes))


def _create_committed(connection: Connection, table: Table, where: list, blank: dict[str, Any]) -> None:
    """Insert `blank` unless a committed row has its key, on a connection of its own in
    autocommit (each statement its own transaction, reading the latest committed rows)."""
    with _short_engine(connection.engine).connect() as short:
        if not short.execute(select(exists().where(*where))).scalar():
            short.execute(mysql.insert(table).prefix_with("IGNORE").values(blank))


def _short_engine(engine: Engine) -> Engine:
    """An engine on the same database without a pool, in autocommit. Not the app's pool: a
    request already holds one of its connections, and with every thread of a busy process
    asking for a second one at the same moment the pool runs dry and they all wait (seen with
    fifty checkouts). A missing row is rare (one per status and shard, one per day and shard),
    so a fresh connection each time costs nothing that matters."""
    short = _SHORT_ENGINES.get(engine)
    if short is None:
        short = _SHORT_ENGINES[engine] = create_engine(engine.url, poolclass=NullPool, isolation_level="AUTOCOMMIT")
    return short


_SHORT_ENGINES: WeakKeyDictionary[Engine, Engine] = WeakKeyDictionary()


def short_engine(engine: Engine) -> Engine:
    """The engine's autocommit twin without a pool (see `_short_engine`), for a read of the
    latest committed rows outside the caller's transaction (`app.core.locking.committed_scalars`)."""
    return _short_engine(engine)


def upsert_many(connection: Connection, table: Table, rows: list[dict[str, Any]], changes: Changes,
                chunk: int = 1_000) -> None:
    """`upsert` for many rows at once, as multi-row upserts of `chunk` rows (for rebuilds:
    one statement per chunk instead of two per row)."""
    key = [column.name for column in table.primary_key]
    for start in range(0, len(rows), chunk):
        part = rows[start:start + chunk]
        connection.execute(_insert_or_update(connection, table, part, key, changes))


def _insert_or_update(connection: Connection, table: Table, values: Any, key: list[str], changes: Changes):
    """One INSERT of `values` (a row or a list of rows) that applies `changes` to a row whose key exists."""
    if connection.dialect.name == "mysql":
        statement = mysql.insert(table).values(values)
        return statement.on_duplicate_key_update(changes(statement.inserted))
    statement = sqlite.insert(table).values(values)
    return statement.on_conflict_do_update(index_elements=key, set_=changes(statement.excluded))
