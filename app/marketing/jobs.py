"""Scheduled and queued jobs of the promotions: thin callers of the domain functions."""

from __future__ import annotations

from app.core.jobs import job
from app.extensions import db
from app.marketing import points_expiry


@job("default")
def expire_points(year: int | None = None, after_user_id: int = 0) -> int:
    """The daily sweep (cron): nothing, unless a year's points are due to expire; then every
    wallet holding points, a chunk per job (each chunk commits), the year marked done last."""
    year = year or points_expiry.due_year()
    if year is None:
        return 0
    user_ids = points_expiry.expire_chunk(year, after_user_id)
    db.session.commit()
    if len(user_ids) == points_expiry.CHUNK:
        expire_points.delay(year, user_ids[-1])
    else:
        points_expiry.finish_year(year)
    return len(user_ids)
