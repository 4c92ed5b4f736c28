"""The flash sale's Redis gate (app.marketing.flash_gate) for one item in one occurrence: named
by the item id (its `left` is the item's, whatever the session), counting the shopper under
the occurrence's session scope and the activity scope, and loaded or reconciled from the
database's figures (app.marketing.flash_claims).

A gate counts the activity scope of its own item only; a shopper buying two SKUs of one
activity is capped across them by the database's claim, and the next reconcile loads the
activity-wide counts into each item's gate."""

from __future__ import annotations

import redis

from app.extensions import db, redis_client
from app.marketing.flash_claims import holders, limits_for
from app.marketing.flash_gate import FlashGate
from app.marketing.flash_models import ACTIVITY_SCOPE, FlashItem
from app.marketing.flash_schedule import Occurrence


def scopes_of(occurrence: Occurrence) -> list[str]:
    return [occurrence.scope, ACTIVITY_SCOPE]


def gate_for(item: FlashItem, occurrence: Occurrence, client: redis.Redis | None = None) -> FlashGate:
    return FlashGate(client or redis_client._get_current_object(), str(item.id), scopes_of(occurrence))


def gate_limits(item: FlashItem, occurrence: Occurrence) -> dict[str, int]:
    """The caps by scope a take passes to `FlashGate.take`."""
    return limits_for(item.activity, occurrence)


def database_figures(item: FlashItem, occurrence: Occurrence) -> tuple[int, dict[str, dict[int, int]]]:
    """(units left, holders by scope) as the database has them, for `FlashGate.load` and
    `FlashGate.reconcile`."""
    db.session.refresh(item, ["stock", "sold"])
    return item.stock - item.sold, holders(item.activity_id, scopes_of(occurrence))
