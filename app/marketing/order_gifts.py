"""What an order earns besides its discounts — a full-reduction tier's points or coupon
(满199送100积分, 满299送券) — given when the order completes and taken back when it is refunded
in full.

The tier reached is decided by the pricing step when the order is placed and kept on the
order (`orders.gifts`), so a later change to the activity never changes what an order earned.
Both moves happen in the transaction of their cause (in-transaction listeners), keyed by the
order and the activity, so a replayed event gives or takes nothing twice. A coupon that cannot
be given (the template is off or all given out) is skipped, never failing the completion;
points already spent when the order is refunded are taken back only as far as the balance goes
(the shortfall is the merchant's loss, as with points earned by purchases).
"""

from __future__ import annotations

from sqlalchemy import select

from app.core.events import listen
from app.extensions import db
from app.marketing import coupon_grants
from app.marketing.coupon_models import CouponSource
from app.members.models import PointsEntry, WalletChange
from app.members.services import change_points, wallet_for_update
from app.orders.events import ORDER_COMPLETED, ORDER_ITEM_REFUNDED
from app.orders.models import Order, OrderItem


def gift_ref(order_id: int, gift: dict) -> str:
    return f"{order_id}:{gift['ref']}"


def _refunded_in_full(order: Order) -> bool:
    """All the cash back — or, for an order that cost nothing in cash (paid with points, each
    item refunded for ¥0), every unit refunded."""
    if order.paid_fen > 0:
        return order.refunded_fen >= order.paid_fen
    return all(item.refunded_quantity >= item.quantity for item in order.items)


@listen(ORDER_COMPLETED)
def give_order_gifts(order_id: int) -> None:
    order = db.session.get(Order, order_id)
    if not order.gifts or order.refunded_fen >= order.paid_fen > 0:
        return
    for gift in order.gifts:
        ref = gift_ref(order.id, gift)
        if gift["kind"] == "points":
            change_points(order.user_id, int(gift["points"]), kind=WalletChange.ORDER_GIFT_POINTS, ref=ref,
                          reason=gift.get("label", ""))
        elif gift["kind"] == "coupon":
            coupon_grants.grant_if_possible(order.user_id, int(gift["template_id"]),
                                            source=CouponSource.FULL_REDUCTION, ref=ref)


@listen(ORDER_ITEM_REFUNDED)
def take_back_order_gifts(order_item_id: int, *_details) -> None:
    order = db.session.get(Order, db.session.get(OrderItem, order_item_id).order_id)
    if not order.gifts or not _refunded_in_full(order):
        return
    for gift in order.gifts:
        ref = gift_ref(order.id, gift)
        if gift["kind"] == "points":
            given = db.session.scalar(select(PointsEntry).where(PointsEntry.kind == WalletChange.ORDER_GIFT_POINTS,
                                                                PointsEntry.ref == ref))
            if given is None:
                continue
            balance = wallet_for_update(order.user_id).points
            taken = min(given.delta, balance)
            if taken > 0:
                change_points(order.user_id, -taken, kind=WalletChange.ORDER_GIFT_POINTS_TAKEN_BACK, ref=ref,
                              reason=gift.get("label", ""))
        elif gift["kind"] == "coupon":
            coupon_grants.revoke(CouponSource.FULL_REDUCTION, ref)
