"""What the app keeps beside its source rows (search terms, counters, rollups), rebuilt from
the bulk-loaded rows by the app's own rebuild functions, so a generated shop is exactly what
the running app would have written. Each step is (phase name, function taking no argument,
run inside the app context); `build` times each as a phase."""

from __future__ import annotations

from collections.abc import Callable

STEPS: list[tuple[str, Callable[[], object]]] = []

from app.orders import day_windows, search_index, status_counts  # noqa: E402

STEPS.append(("order search terms", search_index.reindex))
STEPS.append(("order status counts", status_counts.recount))
STEPS.append(("order day windows", day_windows.rebuild))
