"""What the storefront shows of group buys (拼团): the activities running now (a product's
among them), the groups of an activity still forming with their seats left, a group with its
members' faces, and a shopper's own groups — each one indexed read, never a scan of the
groups of every activity."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, select

from app.accounts.models import User
from app.core.models import utcnow
from app.extensions import db
from app.marketing.group_models import (
    GroupActivity,
    GroupBuyGroup,
    GroupBuyMember,
    GroupStatus,
    MemberStatus,
)

FORMING_SHOWN = 10  # groups a product page offers to join: the ones closest to forming first


def live_activities(product_id: int | None = None, now: datetime | None = None) -> list[GroupActivity]:
    """Activities selling now (started, not ended or stopped), newest first; a product's only."""
    now = now or utcnow()
    statement = select(GroupActivity).where(GroupActivity.stopped_at.is_(None), GroupActivity.starts_at <= now,
                                            GroupActivity.ends_at > now).order_by(GroupActivity.id.desc())
    if product_id is not None:
        statement = statement.where(GroupActivity.product_id == product_id)
    return list(db.session.scalars(statement.limit(100)))


def forming_groups(activity_id: int, now: datetime | None = None, limit: int = FORMING_SHOWN) -> list[GroupBuyGroup]:
    """Groups of the activity a shopper may still join: forming, not expired, a seat left; the
    fullest first, then the soonest to expire (down the (activity, status, expires) index)."""
    now = now or utcnow()
    groups = db.session.scalars(
        select(GroupBuyGroup).where(GroupBuyGroup.activity_id == activity_id,
                                    GroupBuyGroup.status == GroupStatus.FORMING, GroupBuyGroup.expires_at > now,
                                    GroupBuyGroup.joined < GroupBuyGroup.size)
        .order_by(GroupBuyGroup.expires_at).limit(200))
    return sorted(groups, key=lambda group: (group.size - group.joined, group.expires_at))[:limit]


def seated(group_ids: list[int]) -> dict[int, list[tuple[GroupBuyMember, str, str]]]:
    """Each group's seated members in seat order, with their nickname and avatar."""
    found: dict[int, list[tuple[GroupBuyMember, str, str]]] = {group_id: [] for group_id in group_ids}
    if not group_ids:
        return found
    rows = db.session.execute(
        select(GroupBuyMember, User.nickname, User.avatar_url).join(User, User.id == GroupBuyMember.user_id)
        .where(GroupBuyMember.group_id.in_(group_ids), GroupBuyMember.status == MemberStatus.SEATED)
        .order_by(GroupBuyMember.group_id, GroupBuyMember.seat))
    for member, nickname, avatar in rows:
        found[member.group_id].append((member, nickname, avatar))
    return found


def my_groups(user_id: int) -> Select:
    """The shopper's group memberships, newest first (down (user_id, …) then the id)."""
    return select(GroupBuyMember).where(GroupBuyMember.user_id == user_id).order_by(GroupBuyMember.id.desc())
