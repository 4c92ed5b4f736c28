"""Domain events: a domain announces what happened; other domains react in jobs.

Domains import each other one way only (catalog <- orders <- payments, orders <-
distribution). To cross the other way, the lower domain publishes an event and the upper
one subscribes a job to it. Subscribers run as RQ jobs after the publishing transaction
commits (never before, never on rollback), each with its own session, so they are safe to
retry and cannot hold the publisher's transaction open.

    @subscribe("payment.succeeded")
    @job("money")
    def mark_order_paid(payment_id: int) -> None: ...

    publish("payment.succeeded", payment.id)

Bookkeeping that must commit or roll back with what the event announces (a report's mark
that a day's figures changed) listens instead: `@listen(event)` registers a plain function
that `publish` calls at once, inside the publishing transaction, with the same ids. A
listener only writes a row or two through the session; anything that may fail on its own,
call out or take time is a subscriber.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

_subscribers: dict[str, list[Callable]] = defaultdict(list)
_listeners: dict[str, list[Callable]] = defaultdict(list)


def subscribe(event: str) -> Callable[[Callable], Callable]:
    """Register a @job function to run (after commit) whenever `event` is published."""

    def decorator(job_fn: Callable) -> Callable:
        if not hasattr(job_fn, "delay"):
            raise TypeError(f"{job_fn.__qualname__} must be a @job to subscribe to {event}")
        if job_fn not in _subscribers[event]:
            _subscribers[event].append(job_fn)
        return job_fn

    return decorator


def listen(event: str) -> Callable[[Callable], Callable]:
    """Register a plain function to run inside the publishing transaction whenever `event` is
    published (see the module docstring for what belongs there)."""

    def decorator(fn: Callable) -> Callable:
        if fn not in _listeners[event]:
            _listeners[event].append(fn)
        return fn

    return decorator


def publish(event: str, *ids: Any) -> int:
    """Run every listener of `event` now, in this transaction; enqueue every subscriber of it
    with `ids`, after the current transaction commits. Returns how many subscribers."""
    for listener in _listeners[event]:
        listener(*ids)
    for job_fn in _subscribers[event]:
        job_fn.delay(*ids)
    return len(_subscribers[event])


def subscribers(event: str) -> list[Callable]:
    return list(_subscribers[event])
