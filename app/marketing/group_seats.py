"""Seats (拼团席位): a paid order takes one, or gets the activity's answer for a full group.

`seat_paid` is the activity's `paid` hook: it runs in the paying transaction with the order
already moved to paid. The leader's order opens a group; a member's takes a seat by a
conditional UPDATE (`joined < size`) on the group's row, locked first, so of many shoppers
paying for the last seat exactly one wins (and the unique (group, seat) would refuse an N+1th
anyway). The others are placed per the activity's setting: a seat in another forming group,
a new group of their own, or a whole-order refund (queued after the commit: a job, so the
other listeners of this payment have run when the money goes back). A group that fills
succeeds: its members' orders may ship.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select, update

from app.core.locking import committed_scalars, locked
from app.core.models import utcnow
from app.extensions import db
from app.marketing import events
from app.marketing.group_models import (
    GroupActivity,
    GroupBuyGroup,
    GroupBuyMember,
    GroupStatus,
    MemberStatus,
    OnFullSeat,
)
from app.marketing.group_states import move
from app.marketing.group_terms import parse_ref
from app.orders import oplog
from app.orders.models import Order

OTHER_GROUPS_TRIED = 5  # another forming group for a shopper whose group filled first: the soonest to end


def seat_paid(order: Order, ref: str) -> GroupBuyMember:
    """The order was paid: its seat (or its refund when none is left). Safe twice: an order
    has one member row."""
    existing = member_of(order.id)
    if existing is not None:
        return existing
    target = parse_ref(ref)
    activity = db.session.get(GroupActivity, target.activity_id)
    now = utcnow()
    if target.group_id is None:
        return open_group(activity, order, now)
    member = take_seat(target.group_id, order, now)
    if member is not None:
        return member
    return _unseated(activity, target.group_id, order, now)


def member_of(order_id: int) -> GroupBuyMember | None:
    return db.session.scalar(select(GroupBuyMember).where(GroupBuyMember.order_id == order_id))


def open_group(activity: GroupActivity, order: Order, now: datetime) -> GroupBuyMember:
    """A new group with the order's shopper as its leader in seat 1."""
    group = GroupBuyGroup(activity_id=activity.id, leader_user_id=order.user_id, size=activity.group_size, joined=1,
                          status=GroupStatus.FORMING, expires_at=now + timedelta(hours=activity.time_limit_hours))
    db.session.add(group)
    db.session.flush()
    member = _seat(group, order, seat=1, now=now, leader=True)
    oplog.log(order, oplog.SYSTEM, "group_joined",
              note=_("Opened group %(id)s (%(joined)s of %(size)s)", id=group.id, joined=1, size=group.size))
    return member


def take_seat(group_id: int, order: Order, now: datetime, *, wait: bool = True) -> GroupBuyMember | None:
    """A seat in the group for the order, or None when the group is full, ended, or holds
    the shopper already. The group's row is locked first; the seat is the conditional UPDATE.
    `wait=False` passes over a group another transaction holds (SKIP LOCKED): a payer already
    holding its own full group never waits for a second one, so two such payers never deadlock."""
    group = locked(GroupBuyGroup, id=group_id) if wait else db.session.scalars(
        select(GroupBuyGroup).where(GroupBuyGroup.id == group_id).with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)).one_or_none()
    if group is None or group.status != GroupStatus.FORMING or group.expires_at <= now:
        return None
    if _seated_in(group.id, order.user_id):
        return None
    taken = db.session.execute(
        update(GroupBuyGroup)
        .where(GroupBuyGroup.id == group.id, GroupBuyGroup.status == GroupStatus.FORMING,
               GroupBuyGroup.joined < GroupBuyGroup.size)
        .values(joined=GroupBuyGroup.joined + 1, updated_at=now)
        .execution_options(synchronize_session=False)).rowcount == 1
    if not taken:
        return None
    db.session.refresh(group)
    member = _seat(group, order, seat=group.joined, now=now, leader=False)
    oplog.log(order, oplog.SYSTEM, "group_joined",
              note=_("Joined group %(id)s (%(joined)s of %(size)s)", id=group.id, joined=group.joined,
                     size=group.size))
    if group.joined >= group.size:
        succeed(group, now)
    return member


def succeed(group: GroupBuyGroup, now: datetime, *, virtual_seats: int = 0) -> bool:
    """The group formed: every seated member's order may ship now."""
    if not move(group, GroupStatus.SUCCEEDED, succeeded_at=now, virtual_seats=virtual_seats):
        return False
    note = _("Group %(id)s formed", id=group.id)
    if virtual_seats:
        note += " " + _("(%(n)s seats filled by virtual success)", n=virtual_seats)
    for member in seated_members(group.id):
        oplog.log(db.session.get(Order, member.order_id), oplog.SYSTEM, "group_succeeded", note=note)
    return True


def seated_members(group_id: int) -> list[GroupBuyMember]:
    """The group's seated members as committed (a locking read: the caller holds the group's
    lock, under which alone members are seated)."""
    return list(db.session.scalars(select(GroupBuyMember).where(
        GroupBuyMember.group_id == group_id, GroupBuyMember.status == MemberStatus.SEATED)
        .order_by(GroupBuyMember.seat).with_for_update().execution_options(populate_existing=True)))


def _seated_in(group_id: int, user_id: int) -> bool:
    """Whether the shopper holds a seat in the group, as committed by the group's lock holders before us."""
    return bool(committed_scalars(select(GroupBuyMember.id).where(
        GroupBuyMember.group_id == group_id, GroupBuyMember.user_id == user_id,
        GroupBuyMember.status == MemberStatus.SEATED).limit(1)))


def _seat(group: GroupBuyGroup, order: Order, *, seat: int, now: datetime, leader: bool) -> GroupBuyMember:
    member = GroupBuyMember(group_id=group.id, activity_id=group.activity_id, user_id=order.user_id,
                            order_id=order.id, seat=seat, is_leader=leader, status=MemberStatus.SEATED,
                            paid_at=order.paid_at or now)
    db.session.add(member)
    db.session.flush()
    return member


def _unseated(activity: GroupActivity, full_group_id: int, order: Order, now: datetime) -> GroupBuyMember:
    """The group was full (or ended) when the payment arrived: the activity's setting decides."""
    if activity.on_full_seat == OnFullSeat.ANOTHER_GROUP:
        for group_id in _other_open_groups(activity.id, full_group_id, now):
            member = take_seat(group_id, order, now, wait=False)
            if member is not None:
                return member
    if activity.on_full_seat in (OnFullSeat.ANOTHER_GROUP, OnFullSeat.NEW_GROUP):
        return open_group(activity, order, now)
    member = GroupBuyMember(group_id=full_group_id, activity_id=activity.id, user_id=order.user_id,
                            order_id=order.id, seat=None, is_leader=False, status=MemberStatus.REFUND_DUE,
                            paid_at=order.paid_at or now)
    db.session.add(member)
    db.session.flush()
    oplog.log(order, oplog.SYSTEM, "group_failed",
              note=_("Group %(id)s was full when the payment arrived; the order will be refunded",
                     id=full_group_id))
    events.group_refund_due(member.id)
    return member


def _other_open_groups(activity_id: int, full_group_id: int, now: datetime) -> list[int]:
    """Forming groups of the activity with a seat left, soonest to end first, as committed now
    (groups other payers opened a moment ago included); each is locked and checked again."""
    return committed_scalars(
        select(GroupBuyGroup.id).where(GroupBuyGroup.activity_id == activity_id,
                                       GroupBuyGroup.status == GroupStatus.FORMING,
                                       GroupBuyGroup.expires_at > now, GroupBuyGroup.id != full_group_id,
                                       GroupBuyGroup.joined < GroupBuyGroup.size)
        .order_by(GroupBuyGroup.expires_at, GroupBuyGroup.id).limit(OTHER_GROUPS_TRIED))
