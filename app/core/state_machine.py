"""Status changes by compare-and-set, checked against a table of allowed transitions.

Each domain keeps its own table (`{table name: {from: {to, ...}}}`) next to its models;
`move()` is the only way a status changes: it checks the table, then updates with the old
status in the WHERE clause, so of two transactions racing on one row only one makes the
change, even on SQLite where `with_for_update()` does not lock.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import update

from app.core.models import utcnow
from app.extensions import db

Transitions = Mapping[str, Mapping[str, frozenset[str]]]


class IllegalTransition(Exception):
    def __init__(self, table: str, current: str, wanted: str) -> None:
        super().__init__(f"{table}: {current} -> {wanted} is not allowed")
        self.table, self.current, self.wanted = table, current, wanted


def can_move(transitions: Transitions, table: str, current: str, wanted: str) -> bool:
    return wanted in transitions[table].get(current, frozenset())


def move(transitions: Transitions, row: Any, wanted: str, **values: Any) -> bool:
    """Change `row`'s status to `wanted` (and set `values`) if nobody changed it first.

    True if this call made the change; False if another transaction had already moved the
    row (it is then reloaded, so the caller sees the winner's state).
    """
    model = type(row)
    table = model.__tablename__
    if not can_move(transitions, table, row.status, wanted):
        raise IllegalTransition(table, row.status, wanted)
    db.session.flush()
    result = db.session.execute(
        update(model)
        .where(model.id == row.id, model.status == row.status)
        .values(status=wanted, updated_at=utcnow(), **values)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(row, with_for_update=True)  # the latest committed row, even under REPEATABLE READ
    return result.rowcount == 1
