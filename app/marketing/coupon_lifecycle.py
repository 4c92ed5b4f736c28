"""A coupon follows its order, in the order's own transaction (in-transaction listeners).

    order.placed         unused -> locked to the order (a conditional UPDATE naming it; if the
                         coupon is gone the order is refused and nothing is written)
    order.paid           locked -> used
    order.closed         locked -> unused again (expired if its dates have passed)
    order.item_refunded  used -> unused again when the whole order was refunded before anything
                         shipped and the merchant returns coupons on a full refund
    order.completed      an order paying enough earns the 满额赠券 gift (taken back on refund
                         while still unused)

Every move is a conditional UPDATE on the coupon's status, so a replayed event moves nothing,
and writes a coupon event and the template's counter with it.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select, update

from app.core.events import listen
from app.core.models import utcnow
from app.extensions import db
from app.marketing import coupon_grants
from app.marketing.coupon_grants import record_move, shopper_actor
from app.marketing.coupon_models import Coupon, CouponMove, CouponSource, CouponStatus, CouponTemplate
from app.marketing.coupon_pricing import chosen_coupon_refused
from app.marketing.coupon_settings import coupon_settings
from app.orders.events import ORDER_CLOSED, ORDER_COMPLETED, ORDER_ITEM_REFUNDED, ORDER_PAID, ORDER_PLACED
from app.orders.models import Order, OrderItem


def coupon_ids_of(order: Order) -> list[int]:
    return [int(discount["ref"]) for discount in order.discounts or []
            if discount.get("kind") == "coupon" and str(discount.get("ref", "")).isdigit()]


def move(coupon_id: int, from_status: str, **values) -> bool:
    return db.session.execute(
        update(Coupon).where(Coupon.id == coupon_id, Coupon.status == from_status)
        .values(updated_at=utcnow(), **values).execution_options(synchronize_session=False)).rowcount == 1


def count(template_id: int, **deltas: int) -> None:
    db.session.execute(update(CouponTemplate).where(CouponTemplate.id == template_id)
                       .values({getattr(CouponTemplate, name): getattr(CouponTemplate, name) + delta
                                for name, delta in deltas.items()})
                       .execution_options(synchronize_session=False))


def _coupons_of(order_id: int, status: str) -> list[Coupon]:
    coupons = list(db.session.scalars(select(Coupon).where(Coupon.order_id == order_id, Coupon.status == status)
                                      .order_by(Coupon.id)))
    for coupon in coupons:
        db.session.refresh(coupon)
    return coupons


@listen(ORDER_PLACED)
def lock_for_order(order_id: int) -> None:
    """Hold the order's coupon for it, or refuse the order (another order took it, it expired)."""
    order = db.session.get(Order, order_id)
    now = utcnow()
    for coupon_id in coupon_ids_of(order):
        locked = db.session.execute(
            update(Coupon).where(Coupon.id == coupon_id, Coupon.user_id == order.user_id,
                                 Coupon.status == CouponStatus.UNUSED, Coupon.valid_from <= now,
                                 Coupon.valid_until > now)
            .values(status=CouponStatus.LOCKED, order_id=order.id, updated_at=now)
            .execution_options(synchronize_session=False)).rowcount
        if not locked:
            raise chosen_coupon_refused(_("This coupon has just been used or has expired."))
        coupon = db.session.get(Coupon, coupon_id)
        db.session.refresh(coupon)
        record_move(coupon, CouponMove.LOCKED, order_id=order.id, actor=shopper_actor(order.user_id))
    db.session.flush()


@listen(ORDER_PAID)
def use_for_order(order_id: int) -> None:
    now = utcnow()
    for coupon in _coupons_of(order_id, CouponStatus.LOCKED):
        if move(coupon.id, CouponStatus.LOCKED, status=CouponStatus.USED, used_at=now):
            count(coupon.template_id, used=1)
            record_move(coupon, CouponMove.USED, order_id=order_id, actor=shopper_actor(coupon.user_id))
    db.session.flush()


def _give_back(coupon: Coupon, order_id: int, from_status: str, kind: CouponMove, **counts: int) -> None:
    """Back to unused for the shopper, or expired when its dates have passed meanwhile."""
    still_valid = coupon.valid_until > utcnow()
    status = CouponStatus.UNUSED if still_valid else CouponStatus.EXPIRED
    if not move(coupon.id, from_status, status=status, order_id=None, used_at=None):
        return
    if not still_valid:
        counts["expired"] = counts.get("expired", 0) + 1
    if counts:
        count(coupon.template_id, **counts)
    record_move(coupon, kind, order_id=order_id)
    if not still_valid:
        record_move(coupon, CouponMove.EXPIRED, order_id=order_id)


@listen(ORDER_CLOSED)
def release_for_order(order_id: int) -> None:
    """An order closed unpaid lets its coupon go (a paid order's coupon stays used)."""
    for coupon in _coupons_of(order_id, CouponStatus.LOCKED):
        _give_back(coupon, order_id, CouponStatus.LOCKED, CouponMove.RELEASED)
    db.session.flush()


def refunded_before_shipping(order: Order) -> bool:
    """The whole order came back before anything left the warehouse."""
    if any(item.shipped_quantity for item in order.items) or order.shipped_at is not None:
        return False
    all_units = all(item.refunded_quantity >= item.quantity for item in order.items)
    return all_units or (order.paid_fen > 0 and order.refunded_fen >= order.paid_fen)


@listen(ORDER_ITEM_REFUNDED)
def after_refund(order_item_id: int, _amount_fen: int, _quantity: int, _after_sale_id: int) -> None:
    item = db.session.get(OrderItem, order_item_id)
    order = db.session.get(Order, item.order_id)
    settings = coupon_settings()
    if settings.return_on_full_refund and refunded_before_shipping(order):
        for coupon in _coupons_of(order.id, CouponStatus.USED):
            _give_back(coupon, order.id, CouponStatus.USED, CouponMove.RETURNED, used=-1)
    if order.paid_fen - order.refunded_fen < settings.order_gift_threshold_fen or refunded_before_shipping(order):
        coupon_grants.revoke(CouponSource.ORDER_GIFT, order_gift_ref(order.id))
    db.session.flush()


def order_gift_ref(order_id: int) -> str:
    return f"order:{order_id}"


@listen(ORDER_COMPLETED)
def gift_for_order(order_id: int) -> None:
    """满额赠券: an order that paid at least the threshold earns the gift at completion. A gift
    that cannot be given (all given out, limit reached) is skipped: it never fails the order."""
    settings = coupon_settings()
    if settings.order_gift_template_id is None or settings.order_gift_threshold_fen <= 0:
        return
    order = db.session.get(Order, order_id)
    if order.paid_fen - order.refunded_fen < settings.order_gift_threshold_fen:
        return
    coupon_grants.grant_if_possible(order.user_id, settings.order_gift_template_id, source=CouponSource.ORDER_GIFT,
                                    ref=order_gift_ref(order.id))
