"""What the orders domain announces (after commit), for other domains to subscribe to.

    order.placed         (order_id)                       placed; its listeners take what its discounts
                                                          spend (a coupon, points) in the same transaction
    order.paid           (order_id)                       paid, or cash on delivery confirmed
    order.completed      (order_id)                       received (by the shopper or automatically)
    order.closed         (order_id)                       closed or cancelled; stock already returned
    order.item_refunded  (order_item_id, amount_fen, quantity, after_sale_id)
                                                          money went back for some units of an item
"""

from __future__ import annotations

from app.core.events import publish

ORDER_PLACED = "order.placed"
ORDER_PAID = "order.paid"
ORDER_COMPLETED = "order.completed"
ORDER_CLOSED = "order.closed"
ORDER_ITEM_REFUNDED = "order.item_refunded"


def order_placed(order_id: int) -> None:
    publish(ORDER_PLACED, order_id)


def order_paid(order_id: int) -> None:
    publish(ORDER_PAID, order_id)


def order_completed(order_id: int) -> None:
    publish(ORDER_COMPLETED, order_id)


def order_closed(order_id: int) -> None:
    publish(ORDER_CLOSED, order_id)


def item_refunded(order_item_id: int, amount_fen: int, quantity: int, after_sale_id: int) -> None:
    publish(ORDER_ITEM_REFUNDED, order_item_id, amount_fen, quantity, after_sale_id)
