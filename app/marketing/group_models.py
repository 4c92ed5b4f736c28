"""Group buy (拼团): an activity sells one SKU at a group price to groups of N shoppers, each
group opened by a leader's paid order and filled by members' paid orders within a time limit.

A seat is taken only when an order is paid, by one conditional UPDATE (`joined < size`) on
the group's locked row, so a group can never hold N+1 members; an unpaid order holds nothing.
The statuses' allowed changes live in `group_states`.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.labels import labels
from app.core.models import TimestampMixin
from app.extensions import db


class GroupActivityStatus(StrEnum):
    """Computed from the stopped flag and the window, never stored."""

    COMING = "coming"
    LIVE = "live"
    ENDED = "ended"
    STOPPED = "stopped"


GROUP_ACTIVITY_STATUS_LABELS = labels(GroupActivityStatus, {
    GroupActivityStatus.COMING: _l("Not started"), GroupActivityStatus.LIVE: _l("Running"),
    GroupActivityStatus.ENDED: _l("Ended"), GroupActivityStatus.STOPPED: _l("Stopped early"),
})


class OnFullSeat(StrEnum):
    """What happens to a paid shopper whose group filled up first (the last seat was taken)."""

    ANOTHER_GROUP = "another_group"  # a seat in another forming group, else a new group
    NEW_GROUP = "new_group"  # a new group with the shopper as its leader
    REFUND = "refund"  # the whole order refunded automatically


ON_FULL_SEAT_LABELS = labels(OnFullSeat, {
    OnFullSeat.ANOTHER_GROUP: _l("Place in another open group"),
    OnFullSeat.NEW_GROUP: _l("Open a new group"),
    OnFullSeat.REFUND: _l("Refund automatically"),
})


class GroupStatus(StrEnum):
    FORMING = "forming"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


GROUP_STATUS_LABELS = labels(GroupStatus, {
    GroupStatus.FORMING: _l("Forming"), GroupStatus.SUCCEEDED: _l("Group formed"),
    GroupStatus.FAILED: _l("Group failed"),
})


class MemberStatus(StrEnum):
    SEATED = "seated"  # paid, holding a seat
    REFUND_DUE = "refund_due"  # the group failed, or no seat was left: the order is being refunded
    REFUNDED = "refunded"  # the whole-order refund was started


MEMBER_STATUS_LABELS = labels(MemberStatus, {
    MemberStatus.SEATED: _l("In the group"), MemberStatus.REFUND_DUE: _l("Refund pending"),
    MemberStatus.REFUNDED: _l("Refunded"),
})


class GroupActivity(TimestampMixin, db.Model):
    __tablename__ = "group_activities"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="window_not_empty"),
        CheckConstraint("group_size >= 2 AND time_limit_hours >= 1 AND per_shopper_limit >= 0",
                        name="sizes_valid"),
        CheckConstraint("group_price_fen >= 0 AND (leader_price_fen IS NULL OR "
                        "(leader_price_fen >= 0 AND leader_price_fen <= group_price_fen))", name="prices_valid"),
        CheckConstraint("virtual_min_members >= 1 AND virtual_min_members <= group_size",
                        name="virtual_min_within_size"),
        Index("ix_group_activities_sku_id_ends_at", "sku_id", "ends_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40), nullable=False)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True, nullable=False)
    sku_id: Mapped[int] = mapped_column(ForeignKey("skus.id"), nullable=False)
    group_price_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    leader_price_fen: Mapped[int | None] = mapped_column(Integer,
                                                         comment="the leader's lower price; None: the group price")
    group_size: Mapped[int] = mapped_column(Integer, nullable=False, comment="members a group needs, leader included")
    time_limit_hours: Mapped[int] = mapped_column(Integer, default=24, nullable=False,
                                                  comment="a group fails this long after it opens")
    per_shopper_limit: Mapped[int] = mapped_column(Integer, default=0, nullable=False,
                                                   comment="paid joins per shopper in this activity; 0: no limit")
    new_shoppers_only: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False,
                                                    comment="only shoppers with no paid order may join (not lead)")
    virtual_success: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False,
                                                  comment="模拟成团: succeeds at expiry with enough real members")
    virtual_min_members: Mapped[int] = mapped_column(Integer, default=1, nullable=False,
                                                     comment="real members needed for a virtual success")
    pays_commission: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    stacks: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False,
                                         comment="coupons, points and full-reduction may apply too")
    on_full_seat: Mapped[str] = mapped_column(String(16), default=OnFullSeat.ANOTHER_GROUP, nullable=False,
                                              comment="another_group | new_group | refund")
    starts_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, comment="UTC")
    ends_at: Mapped[datetime] = mapped_column(DateTime, nullable=False, comment="UTC, exclusive; no new groups after")
    stopped_at: Mapped[datetime | None] = mapped_column(DateTime, comment="stopped early by the merchant")


class GroupBuyGroup(TimestampMixin, db.Model):
    """One group (团): opened by its leader's paid order, `joined` of `size` seats taken."""

    __tablename__ = "group_buy_groups"
    __table_args__ = (
        CheckConstraint("joined >= 0 AND joined <= size AND virtual_seats >= 0 AND joined + virtual_seats <= size",
                        name="seats_within_size"),
        Index("ix_group_buy_groups_status_expires_at", "status", "expires_at"),  # the expiry sweep
        Index("ix_group_buy_groups_activity_status_expires", "activity_id", "status", "expires_at"),  # open groups
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("group_activities.id"), nullable=False)
    leader_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True, nullable=False)
    size: Mapped[int] = mapped_column(Integer, nullable=False, comment="the activity's size when the group opened")
    joined: Mapped[int] = mapped_column(Integer, default=0, nullable=False, comment="paid members seated")
    virtual_seats: Mapped[int] = mapped_column(Integer, default=0, nullable=False,
                                               comment="seats a virtual success filled without members")
    status: Mapped[str] = mapped_column(String(16), default=GroupStatus.FORMING, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    succeeded_at: Mapped[datetime | None] = mapped_column(DateTime)
    failed_at: Mapped[datetime | None] = mapped_column(DateTime)

    activity: Mapped[GroupActivity] = relationship()


class GroupBuyMember(TimestampMixin, db.Model):
    """A paid order's place in a group: its seat, or the refund when it could not have one."""

    __tablename__ = "group_buy_members"
    __table_args__ = (
        UniqueConstraint("order_id", name="uq_group_buy_members_order_id"),
        UniqueConstraint("group_id", "seat", name="uq_group_buy_members_group_id_seat"),  # never N+1
        Index("ix_group_buy_members_group_id_status", "group_id", "status"),
        Index("ix_group_buy_members_user_id_activity_id", "user_id", "activity_id"),
        Index("ix_group_buy_members_status_id", "status", "id"),  # the refunds still due
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("group_buy_groups.id"), nullable=False,
                                          comment="the group seated in, or the one that was full")
    activity_id: Mapped[int] = mapped_column(ForeignKey("group_activities.id"), nullable=False)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), nullable=False)
    seat: Mapped[int | None] = mapped_column(Integer, comment="1 is the leader; None: no seat was left")
    is_leader: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    status: Mapped[str] = mapped_column(String(16), default=MemberStatus.SEATED, nullable=False)
    paid_at: Mapped[datetime] = mapped_column(DateTime, nullable=False)
    refunded_at: Mapped[datetime | None] = mapped_column(DateTime)

    group: Mapped[GroupBuyGroup] = relationship()
