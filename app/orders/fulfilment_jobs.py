"""Jobs that move orders along after shipping.

`sweep_auto_receipts` is what a scheduler runs (app/schedule.py): it
enqueues one `auto_receive_order` per shipped order past its auto-receive time; each of
those locks its order and does nothing if it was already received, so both are safe to
run twice.
"""

from __future__ import annotations

from app.core.events import subscribe
from app.core.jobs import job
from app.extensions import db
from app.orders import fulfilment
from app.orders.events import ORDER_ITEM_REFUNDED
from app.orders.models import OrderItem


@job("default")
def sweep_auto_receipts() -> int:
    """Enqueue the automatic receipt of every shipped order that is due; returns how many."""
    order_ids = fulfilment.due_for_auto_receipt()
    for order_id in order_ids:
        auto_receive_order.delay(order_id)
    return len(order_ids)


@job("default")
def auto_receive_order(order_id: int) -> bool:
    return fulfilment.auto_receive(order_id)


@subscribe(ORDER_ITEM_REFUNDED)
@job("default")
def ship_when_rest_refunded(order_item_id: int, amount_fen: int, quantity: int, after_sale_id: int) -> bool:
    """A refund of the units a partly shipped order still had to send completes its shipment."""
    item = db.session.get(OrderItem, order_item_id)
    return fulfilment.settle_shipment(item.order_id) if item is not None else False
