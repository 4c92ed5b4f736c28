"""Commit at the edge, running the work again if a concurrent transaction won the race.

Two first logins of the same person at the same moment both find no row and both insert;
the database lets one win (a unique key, or InnoDB's deadlock detection) and the other must
roll back. Running the loser's work again then finds the winner's row. Savepoints are not
used for this: SQLite's Python driver does not isolate them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import IntegrityError, OperationalError

from app.extensions import db

log = logging.getLogger(__name__)

T = TypeVar("T")
MYSQL_DEADLOCK = 1213


def _lost_a_race(exc: Exception) -> bool:
    if isinstance(exc, IntegrityError):
        return True
    code = getattr(getattr(exc, "orig", None), "args", (None,))[0]
    return code == MYSQL_DEADLOCK


def commit_with_retry(work: Callable[[], T], *, attempts: int = 3) -> T:
    """`work()` then commit; on a lost race, roll back and try again (at most `attempts` times)."""
    for attempt in range(1, attempts + 1):
        try:
            result = work()
            db.session.commit()
            return result
        except (IntegrityError, OperationalError) as exc:
            db.session.rollback()
            if attempt == attempts or not _lost_a_race(exc):
                raise
            log.info("transaction lost a race (%s); running it again", exc.__class__.__name__)
    raise AssertionError("unreachable")
