"""The shopper's flash sales (秒杀): preview and buy an item of the session on now. Buying
takes the units at the Redis gate first (app.marketing.flash_purchase), then places the order
through the normal checkout; rate-limited per shopper and per address."""

from __future__ import annotations

from flask import jsonify
from pydantic import Field

from app.api import bp
from app.api.current_user import current_user, login_required
from app.api.orders import OrderOut, PreviewOut, order_out, own_order, quote_out
from app.core.rate_limits import per_shopper_and_address
from app.core.request_models import Body, Text
from app.core.validation import documented, use_body
from app.extensions import db
from app.marketing import flash_purchase
from app.orders import checkout

TAGS = ("flash sales",)


class FlashBuyIn(Body):
    """Buying a flash sale item: how many, delivery, and the other checkout choices (coupons and
    points only count where the activity lets them stack)."""

    quantity: int = Field(1, ge=1, le=flash_purchase.MAX_UNITS)
    address_id: int | None = Field(None, ge=1, le=2_000_000_000)
    remark: Text = Field("", max_length=200)
    coupon_id: int | None = Field(None, ge=1, le=2_000_000_000)
    no_coupon: bool = False
    points: int = Field(0, ge=0, le=1_000_000_000)

    def request(self) -> checkout.CheckoutRequest:
        return checkout.CheckoutRequest(address_id=self.address_id, remark=self.remark, coupon_id=self.coupon_id,
                                        best_coupon=not self.no_coupon, points=self.points)


class FlashPlaceIn(FlashBuyIn):
    idempotency_key: str = Field(min_length=8, max_length=64, description="one per tap: a retry of the same tap "
                                                                          "answers its order, holding nothing more")
    expected_payable_fen: int | None = Field(None, ge=0, le=10**9)


@bp.post("/flash-sales/items/<int:item_id>/preview")
@documented(summary="What buying a flash sale item now would cost (409 flash_not_live when its session is not on)",
            response=PreviewOut, auth=True, tags=TAGS)
@login_required
@use_body(FlashBuyIn)
def flash_preview(item_id: int, body: FlashBuyIn):
    answer = quote_out(flash_purchase.preview(current_user().id, item_id, body.quantity, body.request()))
    db.session.commit()
    return jsonify(answer)


@bp.post("/flash-sales/items/<int:item_id>/buy")
@documented(summary="Buy a flash sale item now (201; 200 for a repeated key; 409 flash_sold_out, "
                    "flash_over_limit, flash_not_live)", response=OrderOut, auth=True, tags=TAGS, status=201)
@per_shopper_and_address("RATE_LIMIT_FLASH_BUY")
@login_required
@use_body(FlashPlaceIn)
def flash_buy(item_id: int, body: FlashPlaceIn):
    user_id = current_user().id
    order, created = flash_purchase.buy(user_id, item_id, body.quantity, body.request(), body.idempotency_key,
                                        body.expected_payable_fen)
    db.session.commit()
    return jsonify(order_out(own_order(order.id))), 201 if created else 200
