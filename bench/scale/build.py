"""Building a generated shop into an app's database, table by table, and saying how fast."""

from __future__ import annotations

import random
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from sqlalchemy import func, select

from bench.scale import catalog, derived, people, sizes
from bench.scale.clock import Clock
from bench.scale.orders import OrderPass
from bench.scale.parallel import drain
from bench.scale.sink import MariaDbSink, Sink, SqliteSink

BULK_TABLES = ("users", "addresses", "agents", "referral_bindings", "referral_binding_events", "team_counters",
               "orders", "order_items", "payments", "refunds", "parcels", "parcel_lines", "after_sales",
               "commission_refunds", "commission_lines", "commission_entries", "agent_accounts", "wallets",
               "order_search_terms")
UNORDERED_TABLES = ("order_search_terms",)  # rows not written in primary-key order


class NotEmpty(Exception):
    """The database already holds shoppers: the generator only fills an empty shop."""


@dataclass
class Report:
    size: str
    seconds: float = 0.0
    cpu_seconds: float = 0.0  # this process only (generating and formatting); the server loads
    phases: dict[str, float] = field(default_factory=dict)
    sink: Sink | None = None

    def lines(self) -> list[str]:
        timings = self.sink.timings
        out = [f"size={self.size} total={self.seconds:.1f}s generator_cpu={self.cpu_seconds:.1f}s " + " ".join(
            f"{name}={seconds:.1f}s" for name, seconds in self.phases.items())]
        out.append(f"{'table':<26}{'rows':>12}{'load s':>9}{'load rows/s':>13}{'index s':>9}{'rows/s':>11}")
        for table, rows in sorted(timings.rows.items(), key=lambda pair: -pair[1]):
            load, index = timings.load_seconds[table], timings.index_seconds[table]
            out.append(f"{table:<26}{rows:>12,}{load:>9.1f}{rows / load if load else 0:>13,.0f}{index:>9.1f}"
                       f"{rows / (load + index) if load + index else 0:>11,.0f}")
        return out


def build(app, size_name: str, *, seed: int = 16, today: date | None = None) -> Report:
    """Fill the app's (migrated, empty) database with a generated shop of this size."""
    from app.accounts.models import User
    from app.extensions import db

    size = sizes.SIZES[size_name]
    started, cpu = time.perf_counter(), time.process_time()
    if db.session.scalar(select(func.count()).select_from(User)):
        raise NotEmpty("the database already has shoppers; build into an empty one")
    db.session.commit()
    db.session.close()
    workdir = tempfile.mkdtemp(prefix="fenxiao-scale-")
    dialect = db.engine.dialect.name
    sink = SqliteSink(db.engine) if dialect == "sqlite" else MariaDbSink(db.engine.url, workdir)
    report = Report(size_name, sink=sink)
    clock = Clock(today or datetime.now(UTC).date(), sink.timestamp_suffix)
    rng = random.Random(seed)
    try:
        sink.prepare(BULK_TABLES, UNORDERED_TABLES)
        mark = time.perf_counter()
        catalog.write(sink, clock, size.products)
        shoppers = people.build(sink, clock, size, rng)
        report.phases["people"] = time.perf_counter() - mark
        mark = time.perf_counter()
        orders = OrderPass(sink, clock, size, shoppers, rng)
        orders.run()
        orders.books.write_accounts(sink, clock.text(clock.now))
        _wallets(sink, clock, orders.spent)
        report.phases["orders"] = time.perf_counter() - mark
        mark = time.perf_counter()
        sink.finish()
        report.phases["finish"] = time.perf_counter() - mark
        mark = time.perf_counter()
        _derive(app, report, at_once=1 if dialect == "sqlite" else 2)
        report.phases["derived"] = time.perf_counter() - mark
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    db.engine.dispose()
    report.seconds, report.cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    return report


def _derive(app, report: Report, at_once: int) -> None:
    """The derived steps, two at a time on MariaDB (each is mostly one long statement in the
    server, on one of its cores; the steps read different tables), the longest first; each
    timed as a phase. One at a time on SQLite, which has one writer."""
    from app.extensions import db

    def step(item) -> None:
        phase, rebuild = item
        mark = time.perf_counter()
        with app.app_context():
            rebuild()
            db.session.commit()
        report.phases[phase] = time.perf_counter() - mark

    drain(derived.STEPS, [step] * at_once)


def _wallets(sink, clock, spent) -> None:
    """A wallet for everyone who ever paid: what they spent, and the member level it reached
    (levels by spend here: the generated shop has no growth ledger, so growth stays 0)."""
    wallets = sink.table("wallets", ("user_id", "balance_fen", "points", "total_spent_fen", "growth", "level_id",
                                     "created_at", "updated_at"))
    at = clock.text(clock.now)
    thresholds = sorted(((threshold, level_id) for level_id, _name, threshold, _discount in catalog.MEMBER_LEVELS),
                        reverse=True)
    for user_id, total in enumerate(spent):
        if user_id % 1000 == 0:
            sink.tick()
        if total > 0:
            level_id = next(level_id for threshold, level_id in thresholds if total >= threshold)
            wallets.add((user_id, 0, 0, total, 0, level_id, at, at))
