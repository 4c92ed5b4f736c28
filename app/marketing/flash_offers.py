"""What the storefront and the purchase path ask of flash sales: the items on sale in a
session of a day (with the sold share the storefront shows), and whether an item can be
bought now — the activity live, in one of its sessions — with the reference an order keeps
(`order_ref`) so its close can release the claim under the same session scope.

Refusals are DomainErrors with their own codes, answered as 4xx with the error shape."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.errors import Conflict, NotFound
from app.core.models import utcnow
from app.extensions import db
from app.marketing.flash_models import FlashActivity, FlashItem
from app.marketing.flash_schedule import Occurrence, Phase, activity_occurrences, beijing_today


@dataclass(frozen=True)
class Offer:
    """An item buyable now, in this occurrence."""

    item: FlashItem
    activity: FlashActivity
    occurrence: Occurrence

    @property
    def ref(self) -> str:
        return order_ref(self.item.id, self.occurrence.scope)


def order_ref(item_id: int, scope: str) -> str:
    """What an order of a flash item keeps as its activity reference: "<item id>@<scope>"."""
    return f"{item_id}@{scope}"


def parse_ref(ref: str) -> tuple[int, str]:
    """(item id, session scope) from `order_ref`; ValueError when it is not one."""
    item_id, _at, scope = ref.partition("@")
    if not item_id.isdigit() or not scope.startswith("session:"):
        raise ValueError(f"not a flash order reference: {ref!r}")
    return int(item_id), scope


def sold_percent(item: FlashItem) -> int:
    """The share sold, rounded down (100 only when none is left)."""
    return 100 if item.stock and item.sold >= item.stock else (item.sold * 100 // item.stock if item.stock else 0)


def items_on(occurrence: Occurrence) -> list[tuple[FlashItem, FlashActivity]]:
    """The items of the activities running in this session of its day, activity by activity
    (newest first), each activity's items in the order they were added."""
    activities = db.session.scalars(
        select(FlashActivity).options(selectinload(FlashActivity.items))
        .where(FlashActivity.stopped_at.is_(None), FlashActivity.first_day <= occurrence.day,
               FlashActivity.last_day >= occurrence.day).order_by(FlashActivity.id.desc())).all()
    return [(item, activity) for activity in activities if occurrence.session_id in (activity.session_ids or [])
            for item in activity.items]


def offer_for(item_id: int, now: datetime | None = None) -> Offer:
    """The item as buyable now, or why not: unknown (404), or not on sale at this moment
    (409 flash_not_live: not started, between sessions, ended or stopped)."""
    item = db.session.get(FlashItem, item_id)
    if item is None:
        raise NotFound(_("This flash sale item does not exist."), code="flash_item_unknown")
    now = now or utcnow()
    activity = item.activity
    live = next((occ for occ in activity_occurrences(activity, beijing_today(now)) if occ.phase(now) == Phase.NOW),
                None)
    if live is None or activity.stock_returned_at is not None:
        raise Conflict(_("This flash sale is not on now."), code="flash_not_live")
    return Offer(item, activity, live)
