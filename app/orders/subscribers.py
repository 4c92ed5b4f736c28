"""What the orders domain does when other domains announce something (jobs, after commit)."""

from __future__ import annotations

from app.core.events import subscribe
from app.core.jobs import job
from app.orders.payment import settle_wechat_payment


@subscribe("payment.succeeded")
@job("money")
def order_payment_succeeded(payment_id: int) -> str:
    """WeChat took the money: pay the order, or refund it when the order cannot take it.
    Payments for anything but an order are ignored; safe to run twice."""
    return settle_wechat_payment(payment_id)
