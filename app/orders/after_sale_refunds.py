"""Paying an after-sale back the way the order was paid, and finishing it once.

- wechat: a WeChat refund of the payment (`app.payments.refunds.refund`); the after-sale
  waits in `refunding` until WeChat's notification ("refund.succeeded" / "refund.failed").
- balance: credited to the shopper's balance at once (ledger kind `order_refund`, ref the
  after-sale number, so a replay cannot credit twice).
- cod: nothing to pay back while the cash was not collected (`order.paid_fen == 0`);
  otherwise the merchant pays back offline and confirms it in the console.
- nothing in cash (an item paid entirely with points, ¥0 and no freight due): whatever the
  method, no provider is called (WeChat refuses a ¥0 refund); the after-sale is finished at
  once, and its points come back through the `order.item_refunded` listener like any refund's.

Freight: when a refund would leave every unit of an order refunded and nothing of the order
was shipped, the freight is added to that (last) refund; the decision is taken under the
order's row lock when the refund starts, and never refunds more than the order has left.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import update

from app.audit.services import Actor
from app.core.errors import Conflict
from app.core.locking import locked
from app.core.models import utcnow
from app.core.money import fen_to_yuan
from app.extensions import db
from app.orders import events, oplog
from app.orders.after_sales import audit_after_sale, get_after_sale, move_after_sale, points_note
from app.orders.models import AfterSale, Order, OrderItem
from app.orders.oplog import OrderActor
from app.orders.states import PAY_METHOD_LABELS, AfterSaleKind, AfterSaleStatus, OrderStatus, PayMethod, move


def freight_due(order: Order, after_sale: AfterSale) -> int:
    """The freight to pay back with this refund: all of it (whatever is left of it) when this
    refund finishes the order and nothing was shipped, else nothing."""
    if order.freight_fen == 0 or order.status != OrderStatus.PAID:
        return 0
    items = order.items
    for item in items:
        db.session.refresh(item)
    if any(item.shipped_quantity for item in items):
        return 0
    units_left = sum(item.quantity - item.refunded_quantity for item in items)
    if units_left != after_sale.quantity:
        return 0
    left_after_items = order.paid_fen - order.refunded_fen - after_sale.amount_fen
    return max(0, min(order.freight_fen, left_after_items))


def start_refund(after_sale: AfterSale, by: OrderActor) -> AfterSale:
    """Move an approved (or received) request to `refunding` and pay it back."""
    order = locked(Order, id=after_sale.order_id)  # one refund decision per order at a time
    method = order.pay_method or after_sale.refund_method
    freight = freight_due(order, after_sale)
    total = after_sale.amount_fen + freight
    note = f"{after_sale.after_sale_no} ¥{fen_to_yuan(total)}" + (
        f" ({_('freight')} ¥{fen_to_yuan(freight)})" if freight else "")
    if total == 0 and method in tuple(PayMethod):  # paid with points: nothing to send, the points come back
        move_after_sale(after_sale, AfterSaleStatus.REFUNDING, refund_method=method)
        finish_refund(after_sale, 0, by)
    elif method == PayMethod.WECHAT:
        from app.payments.refunds import refund

        if order.payment_id is None:
            raise Conflict(_("This order has no WeChat payment on record to refund."), code="no_payment")
        move_after_sale(after_sale, AfterSaleStatus.REFUNDING, refund_method=method)
        row = refund(order.payment_id, total, _("After-sale %(no)s", no=after_sale.after_sale_no))
        after_sale.refund_id = row.id
        oplog.log(order, by, "after_sale_refunding", note=note)
    elif method == PayMethod.BALANCE:
        from app.members.services import change_balance

        move_after_sale(after_sale, AfterSaleStatus.REFUNDING, refund_method=method)
        change_balance(after_sale.user_id, total, kind="order_refund", ref=after_sale.after_sale_no,
                       reason=_("Refund for after-sale %(no)s", no=after_sale.after_sale_no))
        finish_refund(after_sale, total, by)
    elif method == PayMethod.COD:
        move_after_sale(after_sale, AfterSaleStatus.REFUNDING, refund_method=method)
        if order.paid_fen == 0:  # the cash was never collected: nothing to pay back
            finish_refund(after_sale, 0, by)
        else:
            oplog.log(order, by, "after_sale_refunding", note=note + " " + _("to be paid back offline"))
    else:
        raise Conflict(_("This order was not paid, so there is nothing to refund."), code="not_paid")
    return after_sale


def confirm_offline_refund(actor: Actor, by: OrderActor, after_sale_id: int) -> AfterSale:
    """Cash on delivery: the merchant has paid the money back by hand."""
    row = get_after_sale(after_sale_id)
    if row.status != AfterSaleStatus.REFUNDING or row.refund_method != PayMethod.COD:
        raise Conflict(_("This after-sale request has changed; please reload it."), code="after_sale_state_changed")
    order = locked(Order, id=row.order_id)
    total = row.amount_fen + freight_due(order, row)
    finish_refund(row, total, by)
    audit_after_sale(actor, row, "refund_offline", AfterSaleStatus.REFUNDING, paid_back_fen=total)
    return row


def finish_refund(after_sale: AfterSale, paid_back_fen: int, by: OrderActor) -> bool:
    """The money is back: count it on the item and the order, announce it, close the order
    when every unit is refunded. Idempotent: False if it was already finished."""
    if after_sale.status != AfterSaleStatus.REFUNDING:
        return False
    if not move(after_sale, AfterSaleStatus.REFUNDED, refunded_at=utcnow()):
        return False
    db.session.execute(
        update(OrderItem).where(OrderItem.id == after_sale.order_item_id)
        .values(refunded_fen=OrderItem.refunded_fen + after_sale.amount_fen,
                refunded_quantity=OrderItem.refunded_quantity + after_sale.quantity, updated_at=utcnow())
        .execution_options(synchronize_session=False))
    if paid_back_fen:
        db.session.execute(update(Order).where(Order.id == after_sale.order_id)
                           .values(refunded_fen=Order.refunded_fen + paid_back_fen, updated_at=utcnow())
                           .execution_options(synchronize_session=False))
    order = db.session.get(Order, after_sale.order_id)
    db.session.refresh(order)
    for item in order.items:
        db.session.refresh(item)
    _restock_unshipped(after_sale)
    events.item_refunded(after_sale.order_item_id, after_sale.amount_fen, after_sale.quantity, after_sale.id)
    oplog.log(order, by, "after_sale_refunded",  # after the listeners: with the points that came back
              note=f"{after_sale.after_sale_no} ¥{fen_to_yuan(paid_back_fen)}{points_note(after_sale)} "
                   f"({PAY_METHOD_LABELS.get(after_sale.refund_method, after_sale.refund_method)})")
    _close_when_all_refunded(order, by)
    return True


def _restock_unshipped(after_sale: AfterSale) -> None:
    """Refund-only units that never left the warehouse go back into stock (as many of them
    as the item still had unshipped before this refund)."""
    item = after_sale.item
    if after_sale.kind != AfterSaleKind.REFUND_ONLY or after_sale.restock:
        return
    refunded_before = item.refunded_quantity - after_sale.quantity
    units = min(after_sale.quantity, max(0, item.quantity - item.shipped_quantity - refunded_before))
    if units:
        from app.catalog import stock

        stock.give_back(item.sku_id, units)
        after_sale.restock = True


def _close_when_all_refunded(order: Order, by: OrderActor) -> None:
    if order.status not in (OrderStatus.PAID, OrderStatus.SHIPPED):
        return
    if any(item.refunded_quantity < item.quantity for item in order.items):
        return
    if oplog.move_order(order, OrderStatus.CLOSED, by, "closed", note=_("Every unit was refunded."),
                        close_reason="refunded", closed_at=utcnow()):
        events.order_closed(order.id)


def refund_failed(after_sale: AfterSale, reason: str) -> bool:
    """WeChat did not refund: back to the merchant (a return keeps its received goods)."""
    if after_sale.status != AfterSaleStatus.REFUNDING:
        return False
    wanted = AfterSaleStatus.RETURNING if after_sale.kind == AfterSaleKind.RETURN_REFUND else \
        AfterSaleStatus.REQUESTED
    if not move(after_sale, wanted):
        return False
    oplog.log(after_sale.order, oplog.SYSTEM, "after_sale_refund_failed",
              note=f"{after_sale.after_sale_no} {reason}"[:500])
    return True
