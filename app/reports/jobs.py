"""The reports' scheduled job: the daily rollups take in what changed (app/reports/rollups.py)."""

from __future__ import annotations

from app.core.jobs import job
from app.reports import rollups


@job("default")
def refresh_rollups() -> int:
    """Recompute every Beijing day a change has marked since the last run; how many days."""
    return rollups.refresh_dirty_days()
