"""What earns growth (成长值), inside the transaction of its cause (in-transaction listeners,
app/core/events.py): an order's completion (`per_yuan` growth per whole yuan paid for its
goods, freight excluded like the commission base), a refund of one of its items (clawed back
in proportion, app/members/growth.py), a daily sign-in (`per_sign_in`)."""

from __future__ import annotations

from sqlalchemy import func, select

from app.core.events import listen
from app.extensions import db
from app.marketing.events import SIGNED_IN
from app.members import growth, growth_settings
from app.members.growth_models import GrowthKind
from app.members.models import GrowthEntry
from app.orders.events import ORDER_COMPLETED, ORDER_ITEM_REFUNDED
from app.orders.models import Order, OrderItem

FEN_PER_YUAN = 100


def _goods(order_id: int) -> tuple[int, int]:
    """(paid, refunded) fen of the order's goods, read locking, so that a refund of another
    of its items that committed meanwhile counts: a completion and a refund of the same order
    either see each other or wait for each other, so each refund is settled exactly once.
    (A refund holds its item before its order and a completion its order before the items:
    when both meet in that instant the database refuses one as a deadlock, and its job, safe
    to run twice, runs again.)"""
    paid, refunded = db.session.execute(
        select(func.coalesce(func.sum(OrderItem.paid_fen), 0), func.coalesce(func.sum(OrderItem.refunded_fen), 0))
        .where(OrderItem.order_id == order_id).with_for_update()).one()
    return int(paid), int(refunded)


@listen(ORDER_COMPLETED)
def earn_from_order(order_id: int) -> GrowthEntry | None:
    """Credit the order's growth, less what refunds before completion took off it."""
    order = db.session.get(Order, order_id)
    if order is None:
        return None
    paid, refunded = _goods(order_id)
    earned = paid // FEN_PER_YUAN * growth_settings.current().per_yuan
    if earned <= 0:
        return None
    entry = growth.change_growth(order.user_id, earned, kind=GrowthKind.ORDER, ref=str(order_id),
                                 reason=order.order_no, order_id=order_id)
    growth.claw_back(order_id, paid, refunded, ref=f"order:{order_id}")
    return entry


@listen(ORDER_ITEM_REFUNDED)
def claw_back_on_refund(order_item_id: int, _amount_fen: int, _quantity: int, after_sale_id: int) -> None:
    item = db.session.get(OrderItem, order_item_id)
    if item is not None and growth.earned_on_order(item.order_id) is not None:
        paid, refunded = _goods(item.order_id)
        growth.claw_back(item.order_id, paid, refunded, ref=f"after_sale:{after_sale_id}")


@listen(SIGNED_IN)
def earn_from_sign_in(user_id: int, sign_in_id: int) -> GrowthEntry | None:
    per_sign_in = growth_settings.current().per_sign_in
    if per_sign_in <= 0:
        return None
    return growth.change_growth(user_id, per_sign_in, kind=GrowthKind.SIGN_IN, ref=str(sign_in_id))
