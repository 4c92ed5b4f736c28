"""What a group-buy activity sells a shopper now (拼团的购买条件): start a group, or join one.

A reference names the activity, and the group for a join: "12" starts a group of activity
12, "12:345" joins group 345. `group_terms` checks what can be checked before the order is
placed (the activity live, the group still forming and not full, the per-shopper limit, new
shoppers only) and answers the values the activity-order foundation's `ActivityTerms` takes;
the seat itself is only taken when the order is paid (`group_seats.seat_paid`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import func, select

from app.core.errors import Conflict, NotFound, ValidationError
from app.core.models import utcnow
from app.extensions import db
from app.marketing import activity_windows as windows
from app.marketing.group_models import (
    GroupActivity,
    GroupActivityStatus,
    GroupBuyGroup,
    GroupBuyMember,
    GroupStatus,
    MemberStatus,
)
from app.orders.models import Order

KIND = "group_buy"  # ActivityKind.GROUP_BUY of app.orders.activity


@dataclass(frozen=True)
class GroupRef:
    activity_id: int
    group_id: int | None = None  # None: start a new group

    def __str__(self) -> str:
        return f"{self.activity_id}" if self.group_id is None else f"{self.activity_id}:{self.group_id}"


@dataclass(frozen=True)
class GroupTerms:
    """The fields of `ActivityTerms` (app.orders.activity), for the foundation to copy over."""

    kind: str
    activity_id: int
    ref: str
    sku_id: int
    quantity: int
    unit_price_fen: int
    label: str
    stacks: bool = False
    pays_commission: bool = False
    pay_minutes: int | None = None


def parse_ref(ref: str) -> GroupRef:
    """"12" or "12:345"; anything else is a 422 naming the field."""
    parts = (ref or "").strip().split(":")
    if 1 <= len(parts) <= 2 and all(part.isdigit() and len(part) <= 12 for part in parts):
        return GroupRef(int(parts[0]), int(parts[1]) if len(parts) == 2 else None)
    raise ValidationError(_("Some fields are invalid."), code="group_ref_invalid",
                          fields={"activity.ref": _("Not a group-buy reference.")})


def activity_status(activity: GroupActivity, now: datetime | None = None) -> GroupActivityStatus:
    return windows.status_of(activity, GroupActivityStatus, now)


def price_for(activity: GroupActivity, *, leader: bool) -> int:
    if leader and activity.leader_price_fen is not None:
        return activity.leader_price_fen
    return activity.group_price_fen


def group_terms(user_id: int, ref: str) -> GroupTerms:
    """What the shopper may buy through `ref` now, or a 4xx saying why not (nothing reserved)."""
    target = parse_ref(ref)
    now = utcnow()
    activity = db.session.get(GroupActivity, target.activity_id)
    if activity is None:
        raise NotFound(_("The group-buy activity does not exist."), code="group_activity_not_found")
    if activity_status(activity, now) != GroupActivityStatus.LIVE:
        raise Conflict(_("This group-buy activity is not running now."), code="activity_not_live")
    if target.group_id is not None:
        _check_joinable(activity, target.group_id, user_id, now)
    _check_limit(activity, user_id)
    leader = target.group_id is None
    return GroupTerms(kind=KIND, activity_id=activity.id, ref=str(target), sku_id=activity.sku_id, quantity=1,
                      unit_price_fen=price_for(activity, leader=leader),
                      label=_("Group buy · %(name)s", name=activity.name), stacks=activity.stacks,
                      pays_commission=activity.pays_commission)


def _check_joinable(activity: GroupActivity, group_id: int, user_id: int, now: datetime) -> None:
    group = db.session.get(GroupBuyGroup, group_id)
    if group is None or group.activity_id != activity.id:
        raise NotFound(_("The group does not exist."), code="group_not_found")
    if group.status != GroupStatus.FORMING or group.expires_at <= now:
        raise Conflict(_("This group has ended; start a new one or join another."), code="group_ended")
    if group.joined >= group.size:
        raise Conflict(_("This group is full; start a new one or join another."), code="group_full")
    if seated_in(group.id, user_id):
        raise Conflict(_("You are already in this group."), code="group_already_joined")
    if activity.new_shoppers_only and has_paid_order(user_id):
        raise Conflict(_("Only new shoppers may join this group."), code="group_new_shoppers_only")


def _check_limit(activity: GroupActivity, user_id: int) -> None:
    if activity.per_shopper_limit and joins_of(activity.id, user_id) >= activity.per_shopper_limit:
        raise Conflict(_("You have reached the limit of %(n)s for this group buy.", n=activity.per_shopper_limit),
                       code="group_limit_reached")


def seated_in(group_id: int, user_id: int) -> bool:
    return db.session.scalar(select(GroupBuyMember.id).where(
        GroupBuyMember.group_id == group_id, GroupBuyMember.user_id == user_id,
        GroupBuyMember.status == MemberStatus.SEATED).limit(1)) is not None


def joins_of(activity_id: int, user_id: int) -> int:
    """The shopper's seats in the activity (refunded ones do not count)."""
    return db.session.scalar(select(func.count()).select_from(GroupBuyMember).where(
        GroupBuyMember.user_id == user_id, GroupBuyMember.activity_id == activity_id,
        GroupBuyMember.status == MemberStatus.SEATED)) or 0


def has_paid_order(user_id: int) -> bool:
    """A shopper is new until one of their orders has been paid."""
    return db.session.scalar(select(Order.id).where(Order.user_id == user_id, Order.paid_at.is_not(None))
                             .limit(1)) is not None
