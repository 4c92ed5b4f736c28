"""Reading a row under its lock: FOR UPDATE until commit (MariaDB), read afresh rather than
from the session's snapshot, so a compare-and-set after it sees the committed state."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import select

from app.extensions import db

Row = TypeVar("Row")


def locked(model: type[Row], **where: Any) -> Row | None:
    """The row, locked FOR UPDATE until commit (MariaDB) and freshly read, or None."""
    statement = select(model).filter_by(**where).with_for_update().execution_options(populate_existing=True)
    return db.session.scalars(statement).one_or_none()
