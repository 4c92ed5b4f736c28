"""What the app keeps beside its source rows (counters, rollups), rebuilt from the
bulk-loaded rows by the app's own rebuild functions (the order search's terms are written by
the order pass itself, `bench.scale.orders`), so a generated shop is exactly what
the running app would have written. Each step is (phase name, function taking no argument,
run inside the app context); `build` times each as a phase."""

from __future__ import annotations

from collections.abc import Callable

from app.distribution import rollup_rebuild, team
from app.orders import day_windows, status_counts
from app.reports.rollups import rebuild as rebuild_report_rollups

STEPS: list[tuple[str, Callable[[], object]]] = [  # the longest first: `build` runs two at a time
    ("agent rollups", rollup_rebuild.rebuild),
    ("report rollups", rebuild_report_rollups),
    ("level-2 links", team.relink_all),
    ("order status counts", status_counts.recount),
    ("order day windows", day_windows.rebuild),
]
