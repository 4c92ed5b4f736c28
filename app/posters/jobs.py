"""The posters' jobs: render on the `media` queue; count official-account scans of poster
codes. Both take ids and are safe to run twice."""

from __future__ import annotations

import logging

from app.core.errors import DomainError
from app.core.events import subscribe
from app.core.jobs import job
from app.posters import attribution, services

log = logging.getLogger(__name__)


@job("media", timeout=120)
def render_poster(kind: str, user_id: int, product_id: int | None, template_key: str) -> str:
    """Draw the poster as it is now (inputs may have changed since it was asked for)."""
    try:
        poster = services.plan_for(kind, user_id, product_id, template_key)
    except DomainError as refusal:
        log.info("poster not rendered: %s", refusal.code)
        return refusal.code
    return services.render_and_store(poster)


@subscribe("referral.scanned")
@job("default")
def count_poster_scan(touch_id: int) -> bool:
    return attribution.record_touch(touch_id)
