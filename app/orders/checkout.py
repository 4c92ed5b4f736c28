"""Checkout: preview what an order would cost, and place it.

Placing is all-or-nothing in one transaction: the order row first (its unique
(user, idempotency key) makes a retried or doubled request find the first order instead
of making a second), then the stock of every line by conditional UPDATE in SKU order, then
the items with their snapshots, then what the order's discounts spend (its `order.placed`
listeners lock the coupon and take the points). Any line short of stock, or a coupon or
points no longer there, fails the whole order, which the caller rolls back.

An activity order (app.orders.activity) is a buy-now order of the one SKU and quantity its
terms name; it keeps the activity on the order and may have a shorter payment window. Its
activity claims what it sells (a bargain, a seat) in an order.placed listener.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.addresses.models import Address
from app.addresses.services import default_address, own_address
from app.cart import services as cart
from app.catalog import stock
from app.core.china_time import format_beijing
from app.core.errors import Conflict, ValidationError
from app.core.models import utcnow
from app.extensions import db
from app.orders import events, oplog
from app.orders.activity import ActivityTerms, sells_own_stock
from app.orders.models import Order, OrderItem
from app.orders.pricing import PricingOptions, Quote, check_stock, insufficient_stock, quote
from app.orders.states import OrderStatus, PayMethod
from app.shop.services import shop_settings


@dataclass(frozen=True)
class CheckoutRequest:
    """What the shopper asks to buy: the selected cart lines, or buy-now (sku_id, quantity) lines."""

    from_cart: bool = False
    lines: list[tuple[int, int]] = field(default_factory=list)
    address_id: int | None = None
    remark: str = ""
    coupon_id: int | None = None  # with best_coupon False and no id: no coupon
    best_coupon: bool = True
    points: int = 0  # points to spend (capped by the shop's rules, never refused for asking too many)
    activity: ActivityTerms | None = None  # an activity order: the one line it sells, at its price

    @property
    def options(self) -> PricingOptions:
        return PricingOptions(coupon_id=self.coupon_id, best_coupon=self.best_coupon and self.coupon_id is None,
                              points=self.points, activity=self.activity)


class PriceChanged(Conflict):
    """The recomputed payable differs from what the shopper was shown; nothing was written."""

    code = "price_changed"

    def __init__(self, new_quote: Quote) -> None:
        super().__init__(_("The price has changed; please check the new total."))
        self.quote = new_quote


def _activity_lines(request: CheckoutRequest) -> list[tuple[int, int]]:
    """An activity order buys exactly its terms' SKU and quantity, now (never from the cart)."""
    terms = request.activity
    wanted = [(terms.sku_id, terms.quantity)]
    if request.from_cart or (request.lines and list(request.lines) != wanted):
        raise ValidationError(_("Some fields are invalid."), code="activity_lines", fields={
            "lines": _("An activity order buys only its activity's item, %(n)s at a time.", n=terms.quantity)})
    return wanted


def requested_lines(user_id: int, request: CheckoutRequest) -> list[tuple[int, int]]:
    if request.activity is not None:
        return _activity_lines(request)
    if request.from_cart:
        if request.lines:
            raise ValidationError(_("Some fields are invalid."), fields={
                "lines": _("Give either the cart or lines, not both.")})
        chosen = cart.selected_lines(user_id)
        if not chosen:
            raise ValidationError(_("Select something in the cart first."), code="cart_empty")
        gone = {f"cart.{item.id}": _("This item no longer exists.") for item in chosen if item.sku_id is None}
        if gone:
            raise ValidationError(_("Some items can no longer be bought."), code="items_unavailable", fields=gone)
        return [(item.sku_id, item.quantity) for item in chosen]
    if not request.lines:
        raise ValidationError(_("Some fields are invalid."), fields={"lines": _("Choose at least one item.")})
    return list(request.lines)


def _address(user_id: int, address_id: int | None, *, required: bool) -> Address | None:
    address = own_address(user_id, address_id) if address_id is not None else default_address(user_id)
    if address is None and required:
        raise ValidationError(_("Add a delivery address first."), code="address_required",
                              fields={"address_id": _("Add a delivery address first.")})
    return address


def enabled_pay_methods() -> list[str]:
    settings = shop_settings()
    return [method for method, enabled in ((PayMethod.WECHAT, settings.pay_wechat),
                                           (PayMethod.BALANCE, settings.pay_balance),
                                           (PayMethod.COD, settings.pay_cod)) if enabled]


def preview(user_id: int, request: CheckoutRequest) -> Quote:
    """What placing this order would cost now (no freight until there is an address)."""
    lines = requested_lines(user_id, request)
    result = quote(user_id, lines, _address(user_id, request.address_id, required=False), request.options)
    if not _own_stock(request):
        check_stock(result.lines)
    return result


def _own_stock(request: CheckoutRequest) -> bool:
    """An activity order whose units the activity set aside (秒杀): no SKU stock to check or take."""
    return request.activity is not None and sells_own_stock(request.activity.kind.value)


def order_by_key(user_id: int, idempotency_key: str) -> Order | None:
    return db.session.scalar(select(Order).where(Order.user_id == user_id,
                                                 Order.idempotency_key == idempotency_key))


def new_order_no() -> str:
    """D + Beijing time to the second + 8 random digits: 23 characters."""
    return f"D{format_beijing(utcnow(), '%Y%m%d%H%M%S')}{secrets.randbelow(10 ** 8):08d}"


def place_order(user_id: int, request: CheckoutRequest, idempotency_key: str,
                expected_payable_fen: int | None = None) -> tuple[Order, bool]:
    """Place the order (reserving its stock); (order, True), or (the earlier order, False)
    when this shopper already used `idempotency_key`."""
    if not 8 <= len(idempotency_key) <= 64:
        raise ValidationError(_("Some fields are invalid."), fields={
            "idempotency_key": _("Between %(low)s and %(high)s characters.", low=8, high=64)})
    existing = order_by_key(user_id, idempotency_key)
    if existing is not None:
        return existing, False
    lines = requested_lines(user_id, request)
    address = _address(user_id, request.address_id, required=True)
    result = quote(user_id, lines, address, request.options)
    if expected_payable_fen is not None and expected_payable_fen != result.payable_fen:
        raise PriceChanged(result)
    now = utcnow()
    pay_minutes = shop_settings().unpaid_close_minutes
    terms = request.activity
    if terms is not None and terms.pay_minutes:
        pay_minutes = min(pay_minutes, terms.pay_minutes)
    order = Order(
        order_no=new_order_no(), user_id=user_id, idempotency_key=idempotency_key,
        status=OrderStatus.PENDING_PAYMENT, items_total_fen=result.items_total_fen,
        freight_fen=result.freight_fen, discount_fen=result.discount_fen,
        discounts=[discount.as_dict() for discount in result.discounts], gifts=result.gifts or None,
        payable_fen=result.payable_fen,
        paid_fen=0, refunded_fen=0, total_quantity=result.total_quantity,
        receiver_name=address.receiver_name, receiver_phone=address.receiver_phone,
        region_code=address.region_code, region_text=address.region_text, address_detail=address.detail,
        shopper_remark=request.remark.strip()[:200],
        pay_deadline=now + timedelta(minutes=pay_minutes))
    if terms is not None:
        order.activity_kind, order.activity_id, order.activity_ref = terms.kind.value, terms.activity_id, terms.ref
        order.activity_pays_commission = terms.pays_commission
    db.session.add(order)
    try:
        db.session.flush()
    except IntegrityError as exc:
        # The same key at the same moment: the other request won and has committed (the
        # unique index made this insert wait for it). Nothing was written here yet, so
        # starting afresh loses nothing and lets this transaction see the winner.
        db.session.rollback()
        winner = order_by_key(user_id, idempotency_key)
        if winner is None:
            raise Conflict(_("Please try again."), code="retry") from exc
        return winner, False
    short = []
    for line in sorted(result.lines, key=lambda line: line.sku.id):  # one lock order for every buyer
        if _own_stock(request):
            break  # the activity's placed hook claims its own units
        if not stock.take(line.sku.id, line.quantity):
            short.append((line.sku, line.product, line.quantity))
    if short:
        for sku, _product, _quantity in short:
            db.session.refresh(sku, ["stock"])
        raise insufficient_stock(short)
    for line in result.lines:
        db.session.add(OrderItem(
            order_id=order.id, product_id=line.product.id, sku_id=line.sku.id, title=line.product.title[:120],
            spec_text=line.spec_text[:128], image_url=line.image_url[:512], sku_code=line.sku.code,
            unit_price_fen=line.unit_price_fen, unit_cost_fen=line.sku.cost_fen, quantity=line.quantity,
            line_total_fen=line.line_total_fen, discount_fen=line.discount_fen, discount_parts=line.parts,
            paid_fen=line.line_total_fen - line.discount_fen))
    if request.from_cart:
        cart.remove_ordered(user_id, [line.sku.id for line in result.lines])
    oplog.log(order, oplog.shopper(user_id), "created", to_status=OrderStatus.PENDING_PAYMENT)
    db.session.flush()
    events.order_placed(order.id)  # a coupon locked, points spent: refused here, nothing is written
    db.session.flush()
    return order, True
