"""Catalogue jobs: take ids (or nothing), safe to run twice."""

from __future__ import annotations

from app.catalog.visibility import apply_shelf_schedule
from app.core.jobs import job


@job("default", retries=1)
def apply_shelf_schedule_job() -> dict[str, int]:
    """Write down due scheduled launches and withdrawals (they already apply when read)."""
    return apply_shelf_schedule()
