"""What the app keeps beside its source rows (search terms, counters, rollups), rebuilt from
the bulk-loaded rows by the app's own rebuild functions, so a generated shop is exactly what
the running app would have written. Each step is (phase name, function taking no argument,
run inside the app context); `build` times each as a phase."""

from __future__ import annotations

from collections.abc import Callable

from app.distribution import rollup_rebuild, team

STEPS: list[tuple[str, Callable[[], object]]] = []
STEPS.append(("agent rollups", rollup_rebuild.rebuild))
STEPS.append(("level-2 links", team.relink_all))
