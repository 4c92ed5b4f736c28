"""What earns growth (成长值), inside the transaction of its cause (in-transaction listeners,
app/core/events.py): an order's completion (`per_yuan` growth per whole yuan paid for its
goods, freight excluded like the commission base), a refund of one of its items (clawed back
in proportion, app/members/growth.py), a daily sign-in (`per_sign_in`). Nothing here locks
the order or its items: the growth books serialise on the shopper's wallet."""

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


@listen(ORDER_COMPLETED)
def earn_from_order(order_id: int) -> GrowthEntry | None:
    """Credit the order's growth on what was paid for its goods (fixed when it was placed),
    less what refunds before completion took off it."""
    order = db.session.get(Order, order_id)
    if order is None:
        return None
    paid = int(db.session.scalar(select(func.coalesce(func.sum(OrderItem.paid_fen), 0))
                                 .where(OrderItem.order_id == order_id)))
    earned = paid // FEN_PER_YUAN * growth_settings.current().per_yuan
    return growth.earn_on_order(order.user_id, order_id, earned, paid, order.order_no)


@listen(ORDER_ITEM_REFUNDED)
def claw_back_on_refund(order_item_id: int, amount_fen: int, _quantity: int, after_sale_id: int) -> None:
    row = db.session.execute(select(Order.id, Order.user_id, Order.order_no)
                             .join(OrderItem, OrderItem.order_id == Order.id)
                             .where(OrderItem.id == order_item_id)).first()
    if row is not None:
        growth.claw_back(row.user_id, row.id, amount_fen, ref=f"after_sale:{after_sale_id}", reason=row.order_no)


@listen(SIGNED_IN)
def earn_from_sign_in(user_id: int, sign_in_id: int) -> GrowthEntry | None:
    per_sign_in = growth_settings.current().per_sign_in
    if per_sign_in <= 0:
        return None
    return growth.change_growth(user_id, per_sign_in, kind=GrowthKind.SIGN_IN, ref=str(sign_in_id))
