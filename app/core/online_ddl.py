"""Schema changes that a 5M-row table takes while the shop keeps selling.

On MariaDB an index is added or dropped in place without a lock (`ALGORITHM=INPLACE,
LOCK=NONE`) and a column is appended instantly (`ALGORITHM=INSTANT`): writes go on while the
table is rebuilt in the background, and the server refuses (rather than silently locking)
if the change cannot be made that way. Elsewhere (SQLite, the embedded default) the plain
Alembic operation is used. Migrations call these instead of `op.create_index` on big tables.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op


def _is_mysql() -> bool:
    return op.get_bind().dialect.name == "mysql"


def add_index(table: str, name: str, columns: list[str], *, unique: bool = False) -> None:
    if _is_mysql():
        kind = "UNIQUE INDEX" if unique else "INDEX"
        op.execute(f"ALTER TABLE {table} ADD {kind} {name} ({', '.join(columns)}), ALGORITHM=INPLACE, LOCK=NONE")
        return
    op.create_index(name, table, columns, unique=unique)


def drop_index(table: str, name: str) -> None:
    if _is_mysql():
        op.execute(f"ALTER TABLE {table} DROP INDEX {name}, ALGORITHM=INPLACE, LOCK=NONE")
        return
    op.drop_index(name, table_name=table)


def add_column(table: str, column: sa.Column) -> None:
    """Append a column (nullable, or with a server default) without rebuilding the table."""
    if _is_mysql():
        ddl = sa.schema.CreateColumn(column).compile(dialect=op.get_bind().dialect)
        op.execute(f"ALTER TABLE {table} ADD COLUMN {ddl}, ALGORITHM=INSTANT")
        return
    op.add_column(table, column)
