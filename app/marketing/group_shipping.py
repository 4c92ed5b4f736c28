"""A group-buy member's order ships only once its group has formed (成团后发货): fulfilment
asks through `app.orders.shipping_holds`, where this check is registered."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from app.extensions import db
from app.marketing.group_models import GroupBuyGroup, GroupBuyMember, GroupStatus, MemberStatus
from app.orders import shipping_holds
from app.orders.models import Order


def shipping_refusal(order: Order) -> str | None:
    """Why the order must not ship yet, or None (not a group-buy order, or its group formed)."""
    row = db.session.execute(
        select(GroupBuyMember.status, GroupBuyGroup.status)
        .join(GroupBuyGroup, GroupBuyGroup.id == GroupBuyMember.group_id)
        .where(GroupBuyMember.order_id == order.id)).first()
    if row is None:
        return None
    member_status, group_status = row
    if member_status != MemberStatus.SEATED:
        return _("This group-buy order is being refunded: its group did not form.")
    if group_status != GroupStatus.SUCCEEDED:
        return _("This group-buy order ships once its group has formed.")
    return None


def may_ship(order: Order) -> bool:
    return shipping_refusal(order) is None


shipping_holds.register(shipping_refusal)
