"""After-sales: a shopper asks for money back on some units of one order item (refund only,
or return and refund); the merchant approves, rejects, receives the return; the refund goes
back the way the order was paid (`app.orders.after_sale_refunds`).

The units and the amount are *claimed* on the order item when the shopper applies, in one
conditional UPDATE (`claimed_fen + amount <= paid_fen`, `claimed_quantity + n <= quantity`),
so two requests racing can never both fit; a withdrawn or rejected request releases its
claim, a refunded one keeps it (then `refunded_fen` catches up with it).

Points a `points` discount took off the item come back with its refund (the listener in
`app.marketing.points_orders`): in proportion to the cash refunded, or — for an item paid
entirely with points, nothing in cash — to the units refunded. Such an item's request asks
for ¥0 (allowed only then: no cash left to claim, and points still to give back), and its
`refund_points` says how many come back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import Select, func, or_, select, update

from app.audit import services as audit
from app.audit.services import Actor
from app.core.errors import Conflict, NotFound, ValidationError
from app.core.keyset import seek_with_index
from app.core.models import utcnow
from app.core.money import fen_to_yuan
from app.extensions import db
from app.orders import oplog
from app.orders.models import AfterSale, Order, OrderItem
from app.orders.oplog import OrderActor
from app.orders.states import AfterSaleKind, AfterSaleStatus, OrderStatus, move
from app.payments.records import new_number
from app.shop.services import shop_settings

# What a shopper picks from (stored as the Chinese text shown); "其他" wants a description.
REASONS = ("不想要了", "拍错/多拍", "商品与描述不符", "质量问题", "商品破损", "少件/漏发", "发错货",
           "未按约定时间发货", "其他")
OTHER_REASON = "其他"
MAX_PHOTOS = 9
CLAIM_ATTEMPTS = 5  # a default amount is recomputed when another claim got in first
OPEN_STATUSES = (AfterSaleStatus.REQUESTED, AfterSaleStatus.APPROVED, AfterSaleStatus.RETURNING,
                 AfterSaleStatus.REFUNDING)
ORDER_STATUSES_ALLOWED = (OrderStatus.PAID, OrderStatus.SHIPPED, OrderStatus.COMPLETED)


@dataclass(frozen=True)
class Application:
    """What the shopper asks for; `amount_fen` None means the units' share of what was paid."""

    order_item_id: int
    kind: str
    quantity: int
    reason: str
    amount_fen: int | None = None
    description: str = ""
    photos: tuple[str, ...] = ()


def _refused(message: str, field: str, code: str = "after_sale_not_allowed") -> Conflict:
    return Conflict(message, code=code, fields={field: message})


def default_amount(item: OrderItem, quantity: int) -> int:
    """The units' share of what was paid for the item: rounded down, except that the request
    taking the last units takes whatever is left, so partial refunds add up exactly."""
    if item.claimed_quantity + quantity >= item.quantity:
        return item.paid_fen - item.claimed_fen
    return item.paid_fen * quantity // item.quantity


def refundable_fen(item: OrderItem) -> int:
    return item.paid_fen - item.claimed_fen


def item_points(item: OrderItem) -> int:
    """The points a `points` discount took off the item."""
    return sum(int(part.get("points", 0)) for part in item.discount_parts or () if part.get("kind") == "points")


def points_back(item: OrderItem, refunded_fen: int, refunded_quantity: int) -> int:
    """How many of the item's points are back once `refunded_fen` and `refunded_quantity` of it
    are refunded: in proportion to the cash (all of them once all of it is), or by units for
    an item that cost nothing in cash."""
    points = item_points(item)
    if points <= 0:
        return 0
    if item.paid_fen > 0:
        return points if refunded_fen >= item.paid_fen else points * max(refunded_fen, 0) // item.paid_fen
    return points * min(max(refunded_quantity, 0), item.quantity) // item.quantity


def claim_points(item: OrderItem, amount_fen: int, quantity: int) -> int:
    """The points a request for `amount_fen` and `quantity` of the item gives back, on top of
    what the requests already holding a claim on it will."""
    return (points_back(item, item.claimed_fen + amount_fen, item.claimed_quantity + quantity)
            - points_back(item, item.claimed_fen, item.claimed_quantity))


def claimed_points(item: OrderItem, amount_fen: int, quantity: int) -> int:
    """The points a claim just made on the item (already counted in its claimed figures, the
    row locked) gives back."""
    return (points_back(item, item.claimed_fen, item.claimed_quantity)
            - points_back(item, item.claimed_fen - amount_fen, item.claimed_quantity - quantity))


def refundable_points(item: OrderItem) -> int:
    """The item's points that no request has claimed yet."""
    return item_points(item) - points_back(item, item.claimed_fen, item.claimed_quantity)


def _check_window(order: Order) -> None:
    if order.status not in ORDER_STATUSES_ALLOWED:
        raise _refused(_("This order cannot have an after-sale request in its current state."), "order_item_id")
    if order.status == OrderStatus.COMPLETED:
        days = shop_settings().after_sale_days
        if order.completed_at is None or utcnow() > order.completed_at + timedelta(days=days):
            raise _refused(_("The after-sale period of %(days)s days after receipt has ended.", days=days),
                           "order_item_id", code="after_sale_expired")


def _returnable_quantity(item: OrderItem) -> int:
    """Shipped units not already claimed by a return."""
    returning = db.session.scalar(
        select(func.coalesce(func.sum(AfterSale.quantity), 0)).where(
            AfterSale.order_item_id == item.id, AfterSale.kind == AfterSaleKind.RETURN_REFUND,
            AfterSale.status.not_in((AfterSaleStatus.REJECTED, AfterSaleStatus.CANCELLED))))
    return item.shipped_quantity - int(returning or 0)


def claim_units(item: OrderItem, amount_fen: int, quantity: int, *, as_seen: bool = False) -> bool:
    """Hold `amount_fen` and `quantity` of the item in one conditional UPDATE (atomic on
    every backend, so two claims racing cannot both exceed the caps). `as_seen` also
    requires the claims to be what was read, for an amount computed from them."""
    conditions = [OrderItem.id == item.id, OrderItem.claimed_fen + amount_fen <= OrderItem.paid_fen,
                  OrderItem.claimed_quantity + quantity <= OrderItem.quantity]
    if as_seen:
        conditions += [OrderItem.claimed_fen == item.claimed_fen, OrderItem.claimed_quantity == item.claimed_quantity]
    result = db.session.execute(
        update(OrderItem).where(*conditions)
        .values(claimed_fen=OrderItem.claimed_fen + amount_fen,
                claimed_quantity=OrderItem.claimed_quantity + quantity, updated_at=utcnow())
        .execution_options(synchronize_session=False))
    db.session.refresh(item, with_for_update=True)
    return result.rowcount == 1


def release_claim(after_sale: AfterSale) -> None:
    """Give a withdrawn or rejected request's units and amount back to the item."""
    db.session.execute(
        update(OrderItem).where(OrderItem.id == after_sale.order_item_id)
        .values(claimed_fen=OrderItem.claimed_fen - after_sale.amount_fen,
                claimed_quantity=OrderItem.claimed_quantity - after_sale.quantity, updated_at=utcnow())
        .execution_options(synchronize_session=False))
    db.session.expire(after_sale.item)


def _check_application(application: Application) -> None:
    fields = {}
    if application.kind not in tuple(AfterSaleKind):
        fields["kind"] = _("Not one of the allowed values.")
    if application.reason not in REASONS:
        fields["reason"] = _("Not one of the allowed values.")
    elif application.reason == OTHER_REASON and not application.description.strip():
        fields["description"] = _("Please describe the problem.")
    if application.quantity <= 0:
        fields["quantity"] = _("Must be at least %(n)s.", n=1)
    if len(application.photos) > MAX_PHOTOS:
        fields["photos"] = _("At most %(n)s photos.", n=MAX_PHOTOS)
    if fields:
        raise ValidationError(_("Some fields are invalid."), fields=fields)


def _checked_amount(item: OrderItem, application: Application) -> int:
    """The amount to claim, or a refusal saying what is left."""
    units_left = item.quantity - item.claimed_quantity
    if application.quantity > units_left:
        raise _refused(_("At most %(n)s units can still be claimed.", n=units_left), "quantity",
                       code="after_sale_exceeds_item")
    if application.kind == AfterSaleKind.RETURN_REFUND and application.quantity > _returnable_quantity(item):
        raise _refused(_("Only shipped units can be returned: at most %(n)s.", n=max(_returnable_quantity(item), 0)),
                       "quantity")
    amount = default_amount(item, application.quantity) if application.amount_fen is None else application.amount_fen
    left = refundable_fen(item)
    if amount > left:
        raise _refused(_("At most %(yuan)s yuan can still be refunded for this item.", yuan=fen_to_yuan(left)),
                       "amount_fen", code="after_sale_exceeds_item")
    if amount == 0 and left == 0 and claim_points(item, 0, application.quantity) > 0:
        return amount  # paid with points: ¥0 back, the points come back
    if amount <= 0 and application.amount_fen is not None and left > 0:
        raise _refused(_("Only an item paid entirely with points can be refunded for ¥0."), "amount_fen",
                       code="after_sale_exceeds_item")
    if amount <= 0:
        raise _refused(_("Nothing is left to refund for this item."), "amount_fen", code="after_sale_exceeds_item")
    return amount


def own_order_item(user_id: int, order_item_id: int) -> OrderItem:
    item = db.session.get(OrderItem, order_item_id)
    if item is None or item.order.user_id != user_id:
        raise NotFound(_("The order item does not exist."), code="order_item_not_found")
    return item


def request_after_sale(user_id: int, application: Application) -> AfterSale:
    """A shopper's after-sale request, with its units and amount claimed on the item."""
    _check_application(application)
    item = own_order_item(user_id, application.order_item_id)
    order = item.order
    _check_window(order)
    for _attempt in range(CLAIM_ATTEMPTS):
        amount = _checked_amount(item, application)
        # ¥0 is allowed only for points still unclaimed: checked against the claims as read
        if claim_units(item, amount, application.quantity, as_seen=application.amount_fen is None or amount == 0):
            break
    else:
        left, units_left = refundable_fen(item), item.quantity - item.claimed_quantity
        raise _refused(_("At most %(yuan)s yuan and %(n)s units can still be claimed for this item.",
                         yuan=fen_to_yuan(left), n=units_left), "amount_fen", code="after_sale_exceeds_item")
    points = claimed_points(item, amount, application.quantity)
    row = AfterSale(after_sale_no=new_number("S"), order_id=order.id, order_item_id=item.id, user_id=user_id,
                    kind=application.kind, status=AfterSaleStatus.REQUESTED, quantity=application.quantity,
                    amount_fen=amount, refund_points=points, reason=application.reason,
                    description=application.description.strip()[:500], photo_urls=list(application.photos),
                    refund_method=order.pay_method or "")
    db.session.add(row)
    db.session.flush()
    oplog.log(order, oplog.shopper(user_id), "after_sale_requested",
              note=f"{row.after_sale_no} {item.title} ×{row.quantity} ¥{fen_to_yuan(amount)}{points_note(row)} "
                   f"{row.reason}")
    return row


def points_note(row: AfterSale) -> str:
    """A log line's "N points back", when the request gives points back (else nothing)."""
    return " " + _("%(points)s points back", points=row.refund_points) if row.refund_points else ""


# -- the shopper's own requests ---------------------------------------------------------------

def shoppers_after_sale(user_id: int, after_sale_id: int) -> AfterSale:
    """The shopper's own request; another shopper's id is simply not found."""
    row = db.session.get(AfterSale, after_sale_id)
    if row is None or row.user_id != user_id:
        raise NotFound(_("The after-sale request does not exist."), code="after_sale_not_found")
    return row


def shoppers_after_sales(user_id: int, status: str = "") -> Select:
    statement = select(AfterSale).where(AfterSale.user_id == user_id).order_by(AfterSale.id.desc())
    if status:
        statement = statement.where(AfterSale.status == status)
    return statement


def move_after_sale(row: AfterSale, wanted: str, **values) -> None:
    """Move by compare-and-set; a request someone else moved first is a conflict."""
    if row.status not in _FROM[wanted] or not move(row, wanted, **values):
        raise Conflict(_("This after-sale request has changed; please reload it."), code="after_sale_state_changed")


_FROM = {
    AfterSaleStatus.APPROVED: (AfterSaleStatus.REQUESTED,),
    AfterSaleStatus.RETURNING: (AfterSaleStatus.APPROVED,),
    AfterSaleStatus.REJECTED: (AfterSaleStatus.REQUESTED, AfterSaleStatus.RETURNING),
    AfterSaleStatus.CANCELLED: (AfterSaleStatus.REQUESTED, AfterSaleStatus.APPROVED),
    AfterSaleStatus.REFUNDING: (AfterSaleStatus.REQUESTED, AfterSaleStatus.APPROVED, AfterSaleStatus.RETURNING),
}


def cancel(user_id: int, after_sale_id: int) -> AfterSale:
    """The shopper withdraws a request not yet sent back or refunded; its claim is released."""
    row = shoppers_after_sale(user_id, after_sale_id)
    move_after_sale(row, AfterSaleStatus.CANCELLED)
    release_claim(row)
    oplog.log(row.order, oplog.shopper(user_id), "after_sale_cancelled", note=row.after_sale_no)
    return row


def submit_return(user_id: int, after_sale_id: int, courier_code: str, tracking_no: str) -> AfterSale:
    """The shopper has sent the goods back (an approved return and refund)."""
    row = shoppers_after_sale(user_id, after_sale_id)
    if row.kind != AfterSaleKind.RETURN_REFUND or row.status != AfterSaleStatus.APPROVED:
        raise Conflict(_("Return tracking can only be given once a return has been approved."),
                       code="after_sale_state_changed")
    move_after_sale(row, AfterSaleStatus.RETURNING, return_courier_code=courier_code.strip().upper()[:32],
           return_tracking_no=tracking_no.strip()[:40], returned_at=utcnow())
    oplog.log(row.order, oplog.shopper(user_id), "after_sale_returned",
              note=f"{row.after_sale_no} {row.return_courier_code} {row.return_tracking_no}")
    return row


# -- the merchant ------------------------------------------------------------------------------

@dataclass(frozen=True)
class AfterSaleFilter:
    status: str = ""
    kind: str = ""
    keyword: str = ""  # an after-sale number or an order number (or a part of one)


def search_after_sales(criteria: AfterSaleFilter) -> Select:
    """The console's queue, newest first: by status down (status, id); a keyword is the start
    of an after-sale or order number, each a range on its unique index."""
    statement = select(AfterSale).order_by(AfterSale.id.desc())
    if criteria.status:
        statement = seek_with_index(statement.where(AfterSale.status == criteria.status), AfterSale,
                                    "ix_after_sales_status_id")
    if criteria.kind:
        statement = statement.where(AfterSale.kind == criteria.kind)
    keyword = criteria.keyword.strip()
    if keyword:  # numbers by their start: a range on each number's unique index, never a scan of orders
        statement = statement.where(or_(AfterSale.id.in_(_ids_by_prefix(AfterSale.id, AfterSale.after_sale_no,
                                                                         keyword)),
                                        AfterSale.order_id.in_(_ids_by_prefix(Order.id, Order.order_no, keyword))))
    return statement


KEYWORD_MATCHES = 1000  # a number's start shared by more is too short to mean one request


def _ids_by_prefix(key, number, keyword: str) -> list[int]:
    """Ids whose number starts with `keyword`, read first from the number's unique index:
    given as a list, MariaDB reads after-sales by them; given as a subquery ORed with another
    condition, it walked every after-sale testing each against the orders (3.6 s at 200k)."""
    return list(db.session.scalars(select(key).where(number.startswith(keyword, autoescape=True))
                                   .order_by(number).limit(KEYWORD_MATCHES)))


def get_after_sale(after_sale_id: int) -> AfterSale:
    row = db.session.get(AfterSale, after_sale_id)
    if row is None:
        raise NotFound(_("The after-sale request does not exist."), code="after_sale_not_found")
    return row


def last_return_address() -> str:
    """The address the merchant gave last time, to fill in the next approval."""
    return db.session.scalar(select(AfterSale.return_address).where(AfterSale.return_address != "")
                             .order_by(AfterSale.reviewed_at.desc(), AfterSale.id.desc()).limit(1)) or ""


def audit_after_sale(actor: Actor, row: AfterSale, action: str, before: str, **after) -> None:
    audit.record(actor, area="orders", action=f"after_sale.{action}", target_type="after_sale", target_id=row.id,
                 summary=f"{row.after_sale_no} ¥{fen_to_yuan(row.amount_fen)}{points_note(row)}",
                 before={"status": before}, after={"status": row.status, **after})


def approve(actor: Actor, by: OrderActor, after_sale_id: int, return_address: str = "") -> AfterSale:
    """Refund only: the refund starts now. Return and refund: wait for the goods, sent to
    `return_address`."""
    from app.orders import after_sale_refunds

    row = get_after_sale(after_sale_id)
    before = row.status
    if row.kind == AfterSaleKind.REFUND_ONLY:
        if row.status != AfterSaleStatus.REQUESTED:
            raise Conflict(_("This after-sale request has changed; please reload it."),
                           code="after_sale_state_changed")
        row.reviewed_at = utcnow()
        after_sale_refunds.start_refund(row, by)
        audit_after_sale(actor, row, "approve", before)
        return row
    address = return_address.strip()
    if not address:
        raise ValidationError(_("Some fields are invalid."),
                              fields={"return_address": _("Where should the shopper send it back?")})
    move_after_sale(row, AfterSaleStatus.APPROVED, return_address=address[:200], reviewed_at=utcnow())
    oplog.log(row.order, by, "after_sale_approved", note=f"{row.after_sale_no} {address}"[:500])
    audit_after_sale(actor, row, "approve", before, return_address=address)
    return row


def reject(actor: Actor, by: OrderActor, after_sale_id: int, reason: str) -> AfterSale:
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Some fields are invalid."), fields={"reject_reason": _("Please give a reason.")})
    row = get_after_sale(after_sale_id)
    before = row.status
    move_after_sale(row, AfterSaleStatus.REJECTED, reject_reason=reason[:200], reviewed_at=utcnow())
    release_claim(row)
    oplog.log(row.order, by, "after_sale_rejected", note=f"{row.after_sale_no} {reason}")
    audit_after_sale(actor, row, "reject", before, reject_reason=reason[:200])
    return row


def confirm_received(actor: Actor, by: OrderActor, after_sale_id: int, *, restock: bool) -> AfterSale:
    """The returned goods arrived: optionally back into stock, then the refund starts."""
    from app.catalog import stock
    from app.orders import after_sale_refunds

    row = get_after_sale(after_sale_id)
    before = row.status
    if row.kind != AfterSaleKind.RETURN_REFUND or row.status not in (AfterSaleStatus.APPROVED,
                                                                      AfterSaleStatus.RETURNING):
        raise Conflict(_("This after-sale request has changed; please reload it."), code="after_sale_state_changed")
    if restock and not row.restock:
        stock.give_back(row.item.sku_id, row.quantity)
        row.restock = True
    if row.received_at is None:
        row.received_at = utcnow()
        oplog.log(row.order, by, "after_sale_received",
                  note=f"{row.after_sale_no}" + (" " + _("restocked") if row.restock else ""))
    after_sale_refunds.start_refund(row, by)
    audit_after_sale(actor, row, "receive", before, restock=row.restock)
    return row
