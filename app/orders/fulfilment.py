"""Getting an order to the shopper: shipping it in one or more parcels, confirming receipt
(by the shopper, or by itself after the shop's auto-receive days), the merchant's remark.

Shipping guards against double submission twice: the order row is locked, and each item's
`shipped_quantity` only grows through a conditional UPDATE that refuses to pass the units
left (so even without row locks, as on SQLite, two submissions cannot over-ship). Units held
by an after-sale (`claimed_quantity`) are not shipped: the merchant waits for its outcome.
Services flush, never commit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select, update

from app.core.errors import Conflict, NotFound, ValidationError
from app.core.locking import locked
from app.core.models import utcnow
from app.extensions import db
from app.logistics.couriers import Courier, checked_courier, checked_tracking_no
from app.orders import events, shipping_holds
from app.orders.models import Order, OrderItem, Parcel, ParcelLine
from app.orders.oplog import SYSTEM, OrderActor, log, move_order
from app.orders.states import OrderStatus, PayMethod
from app.shop.services import shop_settings

MERCHANT_REMARK_MAX = 500
MAX_PARCELS = 20


def left_to_ship(item: OrderItem) -> int:
    """Units of the item still to send: not shipped, and not held by an after-sale."""
    return max(0, item.quantity - item.shipped_quantity - item.claimed_quantity)


def fully_shipped(items: Iterable[OrderItem]) -> bool:
    """Every unit has left or was refunded (and at least one unit left)."""
    items = list(items)
    return any(item.shipped_quantity for item in items) and all(
        item.shipped_quantity + item.refunded_quantity >= item.quantity for item in items)


def ship(order_id: int, parcels: list[dict[str, Any]], actor: OrderActor) -> list[Parcel]:
    """Send some or all of a paid order's units in one or more parcels:
    `parcels = [{courier_code, tracking_no, lines: [{order_item_id, quantity}]}]`.

    When every unit (not refunded) has left, the order becomes shipped and its automatic
    receipt is scheduled. All or nothing: a refusal raises before anything counts.
    """
    order = _locked_order(order_id)
    if order.status != OrderStatus.PAID:
        raise Conflict(_("Only orders awaiting shipment can be shipped."), code="order_not_shippable")
    held = shipping_holds.refusal(order)
    if held:
        raise Conflict(held, code="order_on_hold")
    items = {item.id: item for item in _locked_items(order.id)}
    planned = _planned_parcels(parcels, items)
    totals: dict[int, int] = defaultdict(int)
    for _courier, _number, lines in planned:
        for item, quantity in lines:
            totals[item.id] += quantity
    for item_id in sorted(totals):
        if not _count_shipped(item_id, totals[item_id]):
            raise Conflict(_("More units than are left to ship; reload the order and try again."),
                           code="over_shipment")
    now = utcnow()
    created = []
    for courier, number, lines in planned:
        parcel = Parcel(order_id=order.id, courier_code=courier.code, courier_name=courier.name, tracking_no=number,
                        shipped_at=now, staff_id=actor.id if actor.kind == "staff" else None)
        db.session.add(parcel)
        db.session.flush()
        for item, quantity in lines:
            db.session.add(ParcelLine(parcel_id=parcel.id, order_item_id=item.id, quantity=quantity))
        created.append((parcel, lines))
    db.session.flush()
    for item in items.values():
        db.session.refresh(item)
    shipped_units = sum(item.shipped_quantity for item in items.values())
    for parcel, lines in created:
        units = sum(quantity for _item, quantity in lines)
        with _shop_language():
            note = _("%(courier)s %(number)s: %(units)s units; %(shipped)s of %(total)s shipped",
                     courier=parcel.courier_name, number=parcel.tracking_no, units=units, shipped=shipped_units,
                     total=order.total_quantity)
        log(order, actor, "parcel_shipped", note=note)
        _notify_shopper(order, parcel, [item.title for item, _quantity in lines])
    _settle(order, items.values(), actor, now)
    return [parcel for parcel, _lines in created]


def ship_all(order_id: int, courier_code: str, tracking_no: str, actor: OrderActor) -> Parcel:
    """Everything still to send, in one parcel."""
    order = _order(order_id)
    lines = [{"order_item_id": item.id, "quantity": left_to_ship(item)} for item in order.items if left_to_ship(item)]
    if not lines and order.status == OrderStatus.PAID:
        raise Conflict(_("Nothing is left to ship."), code="nothing_to_ship")
    return ship(order_id, [{"courier_code": courier_code, "tracking_no": tracking_no, "lines": lines}], actor)[0]


def settle_shipment(order_id: int) -> bool:
    """Mark a paid order shipped once the units it still had to send were refunded instead
    (after-sales call this through the `order.item_refunded` event); True if it moved."""
    order = _locked_order(order_id, missing_ok=True)
    if order is None or order.status != OrderStatus.PAID:
        return False
    return _settle(order, _locked_items(order.id), SYSTEM, utcnow())


def confirm_receipt(order_id: int, actor: OrderActor) -> Order:
    """The shopper (or staff on their behalf) says the parcel arrived: shipped → completed.
    Confirming a completed order again changes nothing."""
    order = _locked_order(order_id)
    if order.status == OrderStatus.COMPLETED:
        return order
    if order.status != OrderStatus.SHIPPED:
        raise Conflict(_("Only shipped orders can be received."), code="order_not_shipped")
    _complete(order, actor, "received")
    return order


def auto_receive(order_id: int, now: datetime | None = None) -> bool:
    """Receive a shipped order whose auto-receive time has passed; False (nothing done) for
    any other order, so running it twice is harmless."""
    now = now or utcnow()
    order = _locked_order(order_id, missing_ok=True)
    if order is None or order.status != OrderStatus.SHIPPED or order.auto_receive_at is None \
            or order.auto_receive_at > now:
        return False
    return _complete(order, SYSTEM, "auto_received")


def due_for_auto_receipt(now: datetime | None = None, limit: int = 1000) -> list[int]:
    now = now or utcnow()
    return list(db.session.scalars(
        select(Order.id).where(Order.status == OrderStatus.SHIPPED, Order.auto_receive_at <= now)
        .order_by(Order.auto_receive_at).limit(limit)))


def cod_collected_fen(order: Order) -> int:
    """What the courier collects on a cash-on-delivery order: the payable amount less what
    after-sales refunded (those units were never paid for)."""
    refunded = sum(item.refunded_fen for item in order.items)
    return max(order.payable_fen - refunded, order.refunded_fen, 0)


def set_merchant_remark(order_id: int, text: str, actor: OrderActor) -> Order:
    """The merchant's private note on the order (never shown to the shopper), logged."""
    remark = (text or "").strip()
    if len(remark) > MERCHANT_REMARK_MAX:
        message = _("At most %(n)s characters.", n=MERCHANT_REMARK_MAX)
        raise ValidationError(message, fields={"merchant_remark": message})
    order = _locked_order(order_id)
    if remark != order.merchant_remark:
        order.merchant_remark = remark
        log(order, actor, "remarked", note=remark)
        db.session.flush()
    return order


def parcels_of(order_id: int) -> list[Parcel]:
    return list(db.session.scalars(select(Parcel).where(Parcel.order_id == order_id).order_by(Parcel.id)))


# -- inside --------------------------------------------------------------------------------


def _order(order_id: int) -> Order:
    order = db.session.get(Order, order_id)
    if order is None:
        raise NotFound(_("The order does not exist."), code="order_not_found")
    return order


def _locked_order(order_id: int, *, missing_ok: bool = False) -> Order | None:
    """The order row locked until commit (MariaDB) and read afresh, not from the session's snapshot."""
    order = locked(Order, id=order_id)
    if order is None and not missing_ok:
        raise NotFound(_("The order does not exist."), code="order_not_found")
    return order


def _locked_items(order_id: int) -> list[OrderItem]:
    return list(db.session.scalars(select(OrderItem).where(OrderItem.order_id == order_id).order_by(OrderItem.id)
                                   .with_for_update().execution_options(populate_existing=True)))


def _count_shipped(item_id: int, quantity: int) -> bool:
    """Add `quantity` to the item's shipped units unless that passes what is left to ship."""
    result = db.session.execute(
        update(OrderItem)
        .where(OrderItem.id == item_id,
               OrderItem.shipped_quantity + OrderItem.claimed_quantity + quantity <= OrderItem.quantity)
        .values(shipped_quantity=OrderItem.shipped_quantity + quantity, updated_at=utcnow())
        .execution_options(synchronize_session=False))
    return result.rowcount == 1


def _planned_parcels(parcels: list[dict[str, Any]], items: dict[int, OrderItem]
                     ) -> list[tuple[Courier, str, list[tuple[OrderItem, int]]]]:
    """Check the parcels against the order before anything is written."""
    if not isinstance(parcels, list) or not parcels:
        raise ValidationError(_("Add at least one parcel."), fields={"parcels": _("This field is required.")})
    if len(parcels) > MAX_PARCELS:
        message = _("At most %(n)s parcels at once.", n=MAX_PARCELS)
        raise ValidationError(message, fields={"parcels": message})
    planned, numbers, wanted = [], set(), defaultdict(int)
    for index, parcel in enumerate(parcels):
        if not isinstance(parcel, dict) or not isinstance(parcel.get("lines") or [], list):
            raise ValidationError(_("Some fields are invalid."), fields={f"parcels.{index}": _("Must be an object.")})
        courier = checked_courier(parcel.get("courier_code", ""), f"parcels.{index}.courier_code")
        number = checked_tracking_no(parcel.get("tracking_no", ""), f"parcels.{index}.tracking_no")
        if (courier.code, number) in numbers or db.session.scalar(
                select(Parcel.id).where(Parcel.courier_code == courier.code, Parcel.tracking_no == number)):
            message = _("This tracking number is already used by another parcel.")
            raise ValidationError(message, fields={f"parcels.{index}.tracking_no": message})
        numbers.add((courier.code, number))
        lines = []
        for line_index, line in enumerate(parcel.get("lines") or []):
            field = f"parcels.{index}.lines.{line_index}"
            if not isinstance(line, dict):
                raise ValidationError(_("Some fields are invalid."), fields={field: _("Must be an object.")})
            item = items.get(line.get("order_item_id"))
            quantity = line.get("quantity")
            if item is None:
                raise ValidationError(_("This item is not part of the order."),
                                      fields={f"{field}.order_item_id": _("Not one of the allowed values.")})
            if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity < 1:
                raise ValidationError(_("Some fields are invalid."),
                                      fields={f"{field}.quantity": _("Must be at least %(n)s.", n=1)})
            wanted[item.id] += quantity
            if wanted[item.id] > left_to_ship(item):
                message = _("Only %(n)s left to ship.", n=left_to_ship(item))
                raise ValidationError(message, fields={f"{field}.quantity": message})
            lines.append((item, quantity))
        if not lines:
            message = _("Put at least one item in the parcel.")
            raise ValidationError(message, fields={f"parcels.{index}.lines": message})
        planned.append((courier, number, lines))
    return planned


def _settle(order: Order, items: Iterable[OrderItem], actor: OrderActor, now: datetime) -> bool:
    if not fully_shipped(items):
        return False
    days = shop_settings().auto_receive_days
    if not move_order(order, OrderStatus.SHIPPED, actor, "shipped", shipped_at=now,
                      auto_receive_at=now + timedelta(days=days)):
        raise Conflict(_("The order changed meanwhile; reload it and try again."), code="order_changed")
    return True


def _complete(order: Order, actor: OrderActor, action: str) -> bool:
    values: dict[str, Any] = {"completed_at": utcnow()}
    if order.pay_method == PayMethod.COD:
        values["paid_fen"] = cod_collected_fen(order)
    if not move_order(order, OrderStatus.COMPLETED, actor, action, **values):
        return False
    events.order_completed(order.id)
    return True


def _notify_shopper(order: Order, parcel: Parcel, titles: list[str]) -> None:
    """The shopper's 'order shipped' subscribe message, once per parcel."""
    from app.notifications.services import notify

    goods = titles[0] if titles else ""
    if len(titles) > 1:
        with _shop_language():
            goods = _("%(title)s and %(n)s more", title=goods, n=len(titles) - 1)
    notify(order.user_id, "order_shipped",
           {"order_id": order.id, "order_no": order.order_no, "goods": goods, "express_company": parcel.courier_name,
            "tracking_no": parcel.tracking_no, "shipped_at": parcel.shipped_at},
           dedupe_key=f"order_shipped:parcel:{parcel.id}")


def _shop_language():
    """Log notes and messages are written once, in the shop's language, whoever triggered them."""
    return force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE", "zh_Hans_CN"))
