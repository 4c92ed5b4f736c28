"""RQ jobs: declared with their queue and retry policy, enqueued after commit.

Jobs take ids (never ORM objects), run inside a fresh app context with their own database
session, commit once at the end, and must be safe to run twice.
"""

from __future__ import annotations

import functools
import importlib
import logging
from collections.abc import Callable
from typing import Any

from flask import current_app
from rq import Retry

from app.core.after_commit import after_commit
from app.extensions import db, queues

log = logging.getLogger(__name__)

DEFAULT_RETRY = (3, [10, 60, 300])


def job(queue: str = "default", *, retries: int = DEFAULT_RETRY[0],
        intervals: list[int] | None = None, timeout: int = 180) -> Callable:
    """Mark a function as a job on `queue` with an RQ Retry policy."""

    def decorator(fn: Callable) -> Callable:
        fn.job_queue = queue  # type: ignore[attr-defined]
        fn.job_retry = (retries, intervals or DEFAULT_RETRY[1])  # type: ignore[attr-defined]
        fn.job_timeout = timeout  # type: ignore[attr-defined]

        @functools.wraps(fn)
        def delay(*args: Any, job_id: str | None = None) -> None:
            enqueue_after_commit(fn, *args, job_id=job_id)

        fn.delay = delay  # type: ignore[attr-defined]
        return fn

    return decorator


def enqueue_now(fn: Callable, *args: Any, job_id: str | None = None):
    """Enqueue immediately; use only when no transaction's writes are involved."""
    retries, intervals = fn.job_retry
    queue = queues.get(fn.job_queue)
    return queue.enqueue(
        run_job,
        f"{fn.__module__}:{fn.__qualname__}",
        *args,
        job_id=job_id,
        retry=Retry(max=retries, interval=intervals),
        job_timeout=fn.job_timeout,
        description=f"{fn.__qualname__}{args!r}",
    )


def enqueue_after_commit(fn: Callable, *args: Any, job_id: str | None = None) -> None:
    after_commit(enqueue_now, fn, *args, job_id=job_id)


def _resolve(path: str) -> Callable:
    module_name, _, attr = path.partition(":")
    target: Any = importlib.import_module(module_name)
    for part in attr.split("."):
        target = getattr(target, part)
    return target


def run_job(path: str, *args: Any) -> Any:
    """The RQ entry point: a fresh app context (so a fresh session), commit or roll back."""
    fn = _resolve(path)
    app = _current_or_new_app()
    with app.app_context():
        try:
            result = fn(*args)
            db.session.commit()
            return result
        except Exception:
            db.session.rollback()
            raise


def _current_or_new_app():
    try:
        return current_app._get_current_object()
    except RuntimeError:  # a worker started without an app context
        from app import create_app

        return create_app()
