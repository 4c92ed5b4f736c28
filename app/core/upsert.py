"""Change a small bookkeeping row (a counter, a window) in place, creating it when missing, on
SQLite and MariaDB alike, inside the caller's transaction.

A plain UPDATE by primary key comes first: it is what happens nearly every time, and on
InnoDB it locks that one row only, where INSERT … ON DUPLICATE KEY UPDATE on an existing key
also locks the gap before it (and so takes part in deadlocks with inserts nearby). Only when
no row matched is the row inserted, as an upsert, so that two transactions creating it at
once both count (the second one applies its change to the first one's row).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import Connection, Table, update
from sqlalchemy.dialects import mysql, sqlite

Changes = Callable[[Mapping[str, Any]], dict[str, Any]]


def upsert(connection: Connection, table: Table, row: dict[str, Any], changes: Changes) -> None:
    """Set `changes(row)` on the row of `table` with `row`'s primary key, or insert `row`.
    `changes` receives the incoming values (the dict, or the upsert's inserted columns) and
    returns {column: expression}, e.g. `lambda new: {"n": table.c.n + new["n"]}`."""
    key = [column.name for column in table.primary_key]
    matched = connection.execute(update(table).where(*(table.c[name] == row[name] for name in key))
                                 .values(changes(row))).rowcount  # rows matched (FOUND_ROWS on MariaDB)
    if matched:
        return
    connection.execute(_insert_or_update(connection, table, row, key, changes))


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
