"""Group-buy activities as the merchant runs them (营销 → 拼团): create, edit, stop early —
each audited — the status they read as, and the figures of one activity.

These flush and never commit; the console view commits. Values come as the form reads them
(Beijing times already naive UTC, yuan already fen).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, case, func, select

from app.accounts.models import User
from app.audit import services as audit
from app.audit.services import Actor
from app.core.china_time import format_beijing
from app.core.errors import ValidationError
from app.core.models import utcnow
from app.extensions import db
from app.marketing import activity_windows as windows
from app.marketing.activity_windows import whole_number
from app.marketing.bargain_activities import sku_title
from app.marketing.group_models import (
    GroupActivity,
    GroupActivityStatus,
    GroupBuyGroup,
    GroupBuyMember,
    GroupStatus,
    MemberStatus,
    OnFullSeat,
)
from app.marketing.group_terms import KIND, activity_status
from app.orders.models import Order

AREA = "marketing"
MAX_PRICE_FEN = 100_000_000
MAX_SIZE = 50
LIMITS = {"group_size": (2, MAX_SIZE), "time_limit_hours": (1, 168), "per_shopper_limit": (0, 1000)}
SWITCHES = ("new_shoppers_only", "virtual_success", "pays_commission", "stacks")
EDITABLE = ("name", "sku_id", "group_price_fen", "leader_price_fen", "group_size", "time_limit_hours",
            "per_shopper_limit", "new_shoppers_only", "virtual_success", "virtual_min_members", "pays_commission",
            "stacks", "on_full_seat", "starts_at", "ends_at")
# What cannot change once a group was opened (each group copied its size; its members paid these prices
# for this item)
FROZEN_ONCE_OPENED = ("sku_id", "group_price_fen", "leader_price_fen", "group_size")


def status_of(activity: GroupActivity, now: datetime | None = None) -> GroupActivityStatus:
    return activity_status(activity, now)


def activity_list(*, status: str = "") -> Select:
    return windows.activity_list(GroupActivity, GroupActivityStatus, status)


def validate(values: dict[str, Any]) -> dict[str, Any]:
    """The values checked; ValidationError naming each bad field."""
    fields: dict[str, str] = {}
    clean: dict[str, Any] = {}
    sku = windows.check_name_and_sku(values, fields, clean, _("Choose the item to sell in groups."))
    price = whole_number(values, "group_price_fen")
    if not 0 <= price <= MAX_PRICE_FEN:
        fields["group_price_fen"] = _("Enter a price in yuan, e.g. 99.")
    elif sku is not None and price >= sku.price_fen:
        fields["group_price_fen"] = _("The group price must be below the item's price.")
    leader = values.get("leader_price_fen")
    if leader is not None and (whole_number(values, "leader_price_fen") < 0 or ("group_price_fen" not in fields
                                                                           and leader > price)):
        fields["leader_price_fen"] = _("The leader price must not be above the group price.")
    for key, (low, high) in LIMITS.items():
        clean[key] = whole_number(values, key)
        if not low <= clean[key] <= high:
            fields[key] = _("Enter a whole number from %(low)s to %(high)s.", low=low, high=high)
    virtual = bool(values.get("virtual_success"))
    minimum = whole_number(values, "virtual_min_members") if virtual else 1
    if virtual and "group_size" not in fields and not 1 <= minimum <= clean["group_size"] - 1:
        fields["virtual_min_members"] = _("Enter a whole number from %(low)s to %(high)s.", low=1,
                                          high=clean["group_size"] - 1)
    on_full = values.get("on_full_seat")
    if on_full not in set(OnFullSeat):
        fields["on_full_seat"] = _("Choose what happens when the last seat was taken first.")
    starts_at, ends_at = values.get("starts_at"), values.get("ends_at")
    if not isinstance(starts_at, datetime):
        fields["starts_at"] = _("Enter the start time.")
    if not isinstance(ends_at, datetime):
        fields["ends_at"] = _("Enter the end time.")
    elif isinstance(starts_at, datetime) and ends_at <= starts_at:
        fields["ends_at"] = _("The end must be after the start.")
    if fields:
        raise ValidationError(_("Some fields are invalid."), fields=fields)
    clean.update(group_price_fen=price, leader_price_fen=leader, virtual_min_members=minimum,
                 on_full_seat=str(on_full), starts_at=starts_at, ends_at=ends_at,
                 **{key: bool(values.get(key)) for key in SWITCHES})
    return clean


def snapshot(activity: GroupActivity) -> dict[str, Any]:
    """What the audit log keeps of an activity (times in Beijing time)."""
    return {**{key: getattr(activity, key) for key in EDITABLE if key not in ("starts_at", "ends_at")},
            "starts_at": format_beijing(activity.starts_at), "ends_at": format_beijing(activity.ends_at)}


def opened(activity_id: int) -> bool:
    """Whether the activity opened any group (one entry of the (activity, status, expires) index)."""
    return db.session.scalar(select(GroupBuyGroup.id).where(GroupBuyGroup.activity_id == activity_id)
                             .limit(1)) is not None


def create_activity(actor: Actor, values: dict[str, Any]) -> GroupActivity:
    return windows.create_audited(actor, GroupActivity(**validate(values)), "group_activity.create", "group_activity",
                                  snapshot)


def update_activity(actor: Actor, activity: GroupActivity, values: dict[str, Any]) -> GroupActivity:
    windows.refuse_if_stopped(activity)
    clean = validate(values)
    return windows.update_audited(actor, activity, clean, "group_activity.update", "group_activity", snapshot,
                                  frozen=FROZEN_ONCE_OPENED if opened(activity.id) else (),
                                  frozen_message=_("Groups were opened at these terms: they can no longer change."))


def stop_activity(actor: Actor, activity: GroupActivity) -> bool:
    """Stop early: no new groups from now on; groups still forming run on to their own expiry
    (they fill up or fail and are refunded then). False if it was stopped already."""
    if activity.stopped_at is not None:
        return False
    now = utcnow()
    activity.stopped_at = now
    db.session.flush()
    audit.record(actor, area=AREA, action="group_activity.stop", target_type="group_activity",
                 target_id=activity.id, summary=activity.name, before={"stopped_at": None},
                 after={"stopped_at": format_beijing(now), "groups_forming": forming_count(activity.id)})
    return True


def forming_count(activity_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(GroupBuyGroup).where(
        GroupBuyGroup.activity_id == activity_id, GroupBuyGroup.status == GroupStatus.FORMING))


def results(activity_id: int) -> dict[str, int]:
    """Groups formed / failed / forming, members paid (seated or refunded: each is a paid order)
    and refunded, the activity's orders and their paid amount."""
    by_status = dict(db.session.execute(
        select(GroupBuyGroup.status, func.count()).where(GroupBuyGroup.activity_id == activity_id)
        .group_by(GroupBuyGroup.status)).all())
    refunded = (MemberStatus.REFUND_DUE, MemberStatus.REFUNDED)
    # through the activity's groups: both steps down an index ((activity, status, expires), (group, status))
    members = db.session.execute(
        select(func.count(), func.coalesce(func.sum(case((GroupBuyMember.status.in_(refunded), 1), else_=0)), 0))
        .join(GroupBuyGroup, GroupBuyGroup.id == GroupBuyMember.group_id)
        .where(GroupBuyGroup.activity_id == activity_id)).one()
    orders = db.session.execute(
        select(func.count(), func.count(Order.paid_at), func.coalesce(func.sum(Order.paid_fen), 0))
        .where(Order.activity_kind == KIND, Order.activity_id == activity_id)).one()
    return {"formed": by_status.get(GroupStatus.SUCCEEDED, 0), "failed": by_status.get(GroupStatus.FAILED, 0),
            "forming": by_status.get(GroupStatus.FORMING, 0), "members_paid": members[0],
            "members_refunded": int(members[1]), "orders": orders[0], "paid_orders": orders[1],
            "paid_fen": int(orders[2])}


def groups_of(activity_id: int, limit: int = 5000) -> list[tuple[GroupBuyGroup, str]]:
    """The activity's groups, newest first, each with its leader's nickname (the results' export)."""
    return [tuple(row) for row in db.session.execute(
        select(GroupBuyGroup, User.nickname).join(User, User.id == GroupBuyGroup.leader_user_id)
        .where(GroupBuyGroup.activity_id == activity_id).order_by(GroupBuyGroup.id.desc()).limit(limit))]


def item_title(activity: GroupActivity) -> str:
    """The item the activity sells, as the console shows it."""
    return sku_title(activity.sku_id) or f"#{activity.sku_id}"
