"""Run work only once the transaction it depends on has committed.

A job or WeChat call queued while a transaction is open would otherwise read rows that are
not yet visible, or act on a change that is then rolled back. Callbacks are kept on the
session: run after its commit, dropped on its rollback.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from app.extensions import db

log = logging.getLogger(__name__)

_KEY = "fenxiao_after_commit"


def after_commit(callback: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Queue `callback(*args, **kwargs)` to run when the current transaction commits."""
    db.session().info.setdefault(_KEY, []).append((callback, args, kwargs))


def pending(session: Session | None = None) -> list:
    session = session or db.session()
    return list(session.info.get(_KEY, []))


def _run_callbacks(session: Session) -> None:
    root = session.get_transaction()
    if root is not None and root.is_active:  # a SAVEPOINT was released (SQLAlchemy calls that a commit too)
        return
    callbacks = session.info.pop(_KEY, [])
    for callback, args, kwargs in callbacks:
        try:
            callback(*args, **kwargs)
        except Exception:  # the commit stands; one failed follow-up must not hide the others
            log.exception("after-commit callback %s failed", getattr(callback, "__name__", callback))


def _drop_callbacks(session: Session, previous_transaction) -> None:
    if previous_transaction.parent is None:  # the outermost transaction rolled back
        session.info.pop(_KEY, None)


def install() -> None:
    """Listen on every Session once; safe to call for each app."""
    if not event.contains(Session, "after_commit", _run_callbacks):
        event.listen(Session, "after_commit", _run_callbacks)
        event.listen(Session, "after_soft_rollback", _drop_callbacks)
