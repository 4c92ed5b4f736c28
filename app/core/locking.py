"""Reading a row under its lock: FOR UPDATE until commit (MariaDB), read afresh rather than
from the session's snapshot, so a compare-and-set after it sees the committed state."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, select

from app.extensions import db

Row = TypeVar("Row")


def locked(model: type[Row], **where: Any) -> Row | None:
    """The row, locked FOR UPDATE until commit (MariaDB) and freshly read, or None."""
    statement = select(model).filter_by(**where).with_for_update().execution_options(populate_existing=True)
    return db.session.scalars(statement).one_or_none()


def committed_scalars(statement: Select) -> list[Any]:
    """The statement's first column over the latest committed rows, not the transaction's
    snapshot: on MariaDB (REPEATABLE READ keeps the snapshot of the transaction's first read)
    on a short autocommit connection holding nothing; SQLite, whose writer sees everything
    committed, in the session. For finding rows to lock next (by key), never for deciding
    on them: a row found here is read again under its lock."""
    if db.engine.dialect.name != "mysql":
        return list(db.session.scalars(statement))
    from app.core.upsert import short_engine

    with short_engine(db.engine).connect() as short:
        return list(short.execute(statement).scalars())
