"""Work items taken from one queue by a few threads at once, in the order given (the biggest
first keeps the threads about even at the end); the first failure stops the others taking more
and is raised once they are done."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable
from typing import TypeVar

Item = TypeVar("Item")


def drain(items: Iterable[Item], workers: list[Callable[[Item], None]]) -> None:
    """Each worker (one per thread, e.g. bound to its own connection) does items until none are left."""
    todo: queue.Queue = queue.Queue()
    for item in items:
        todo.put(item)
    failures: list[BaseException] = []

    def run(work: Callable[[Item], None]) -> None:
        while not failures:
            try:
                item = todo.get_nowait()
            except queue.Empty:
                return
            try:
                work(item)
            except BaseException as exc:  # raised by the calling thread below
                failures.append(exc)
                return

    threads = [threading.Thread(target=run, args=(work,)) for work in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise failures[0]
