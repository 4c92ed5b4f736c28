"""Groups past their time (拼团到期): a group still forming when it expires succeeds virtually
(模拟成团, when the activity allows it and enough real members paid) or fails; every member
of a failed group — and every shopper who found no seat — is refunded in full, once.

Two steps, each its own transaction: the group fails and its members become `refund_due`;
then each member's refund (`refund_member`) runs `refund_whole_order` and marks the member
refunded. A replay finds the group failed and the members refunded and does nothing; a
member whose refund failed stays due and the next sweep tries again.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select

from app.core.locking import locked
from app.core.models import utcnow
from app.extensions import db
from app.marketing.group_models import GroupBuyGroup, GroupBuyMember, GroupStatus, MemberStatus
from app.marketing.group_seats import seated_members, succeed
from app.marketing.group_states import move
from app.orders import oplog
from app.orders.models import Order
from app.orders.order_refunds import AutoRefundReason, refund_whole_order

BATCH = 200


def due_groups(now: datetime | None = None, limit: int = BATCH) -> list[int]:
    now = now or utcnow()
    return list(db.session.scalars(
        select(GroupBuyGroup.id).where(GroupBuyGroup.status == GroupStatus.FORMING, GroupBuyGroup.expires_at <= now)
        .order_by(GroupBuyGroup.expires_at, GroupBuyGroup.id).limit(limit)))


def expire_group(group_id: int, now: datetime | None = None) -> str:
    """Settle one expired group: "succeeded" (virtually), "failed", or "skipped" when it is
    not (or no longer) a forming group past its time."""
    now = now or utcnow()
    group = locked(GroupBuyGroup, id=group_id)
    if group is None or group.status != GroupStatus.FORMING or group.expires_at > now:
        return "skipped"
    activity = group.activity
    if activity.virtual_success and group.joined >= activity.virtual_min_members:
        succeed(group, now, virtual_seats=group.size - group.joined)
        return "succeeded"
    if not move(group, GroupStatus.FAILED, failed_at=now):
        return "skipped"
    note = _("Group %(id)s did not fill in time (%(joined)s of %(size)s); the order will be refunded",
             id=group.id, joined=group.joined, size=group.size)
    for member in seated_members(group.id):
        move(member, MemberStatus.REFUND_DUE)
        oplog.log(db.session.get(Order, member.order_id), oplog.SYSTEM, "group_failed", note=note)
    return "failed"


def due_refunds(limit: int = BATCH) -> list[int]:
    return list(db.session.scalars(select(GroupBuyMember.id).where(GroupBuyMember.status == MemberStatus.REFUND_DUE)
                                   .order_by(GroupBuyMember.id).limit(limit)))


def refund_member(member_id: int) -> bool:
    """Refund the member's whole order (the group failed, or it found no seat); True if this
    call did it, False on a replay."""
    member = locked(GroupBuyMember, id=member_id)
    if member is None or member.status != MemberStatus.REFUND_DUE:
        return False
    reason = AutoRefundReason.GROUP_FAILED if member.seat is not None else AutoRefundReason.GROUP_FULL
    refund_whole_order(member.order_id, reason, oplog.SYSTEM)
    return move(member, MemberStatus.REFUNDED, refunded_at=utcnow())
