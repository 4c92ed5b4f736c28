"""Timing the answers: one answer at a time, N requests from every client at once (each
client takes the next request until N are done), each request checked; the first wrong
answer stops that answer's timing and fails it. Then p50 / p95 per answer, the table and
the ratio of the worst p95 to the 200 ms target."""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field

from bench.latency.answers import Answer
from bench.latency.clients import Client

TARGET_MS = 200.0


@dataclass
class Result:
    answer: Answer
    latencies: list[float] = field(default_factory=list)  # seconds
    failure: str | None = None

    def percentile_ms(self, fraction: float) -> float:
        """Nearest rank: the smallest latency at least `fraction` of the requests took no longer than."""
        ordered = sorted(self.latencies)
        return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)] * 1000 if ordered else math.nan

    @property
    def p50_ms(self) -> float:
        return self.percentile_ms(0.50)

    @property
    def p95_ms(self) -> float:
        return self.percentile_ms(0.95)


def run(answer: Answer, clients: list[Client], requests: int) -> Result:
    """`requests` requests for the answer, from every client at once."""
    result, lock = Result(answer), threading.Lock()
    left = [requests]

    def take() -> bool:
        with lock:
            if left[0] <= 0 or result.failure:
                return False
            left[0] -= 1
            return True

    def client_loop(client: Client) -> None:
        while take():
            seconds, reply = client.get(answer)
            problem = answer.check(reply)
            with lock:
                if problem:
                    result.failure = result.failure or problem
                else:
                    result.latencies.append(seconds)

    threads = [threading.Thread(target=client_loop, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return result


def table(results: list[Result]) -> list[str]:
    width = max([len("answer"), *(len(result.answer.name) for result in results)])
    lines = [f"| {'answer':<{width}} | p50 ms | p95 ms | requests |",
             f"|{'-' * (width + 2)}|-------:|-------:|---------:|"]
    for result in results:
        if result.failure:
            failure = result.failure if len(result.failure) <= 160 else result.failure[:157] + "..."
            lines.append(f"| {result.answer.name:<{width}} | FAILED: {failure} | | {len(result.latencies)} |")
        else:
            lines.append(f"| {result.answer.name:<{width}} | {result.p50_ms:>6.0f} | {result.p95_ms:>6.0f} | "
                         f"{len(result.latencies):>8} |")
    return lines


def ratio(results: list[Result]) -> float:
    """The worst p95 over the 200 ms target; infinite when an answer failed."""
    if any(result.failure for result in results) or not results:
        return math.inf
    return max(result.p95_ms for result in results) / TARGET_MS
