"""Scheduled member jobs: thin callers of the level review (app/members/level_review.py)."""

from __future__ import annotations

from app.core.jobs import job
from app.core.models import utcnow
from app.members import level_review


@job("default")
def review_levels() -> int:
    """The hourly check (cron) for the yearly level review: a batch, then the next as its own job."""
    reviewed = level_review.review_batch(utcnow())
    if reviewed == level_review.BATCH:
        review_levels.delay()
    return reviewed
