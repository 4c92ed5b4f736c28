"""The shopper's flash sales (秒杀): today's sessions and their items, preview and buy an item of the
session on now. Buying
takes the units at the Redis gate first (app.marketing.flash_purchase), then places the order
through the normal checkout; rate-limited per shopper and per address."""

from __future__ import annotations

from typing import Literal

from flask import jsonify
from pydantic import BaseModel, Field
from sqlalchemy import select

from app.api import bp
from app.api.current_user import current_user, login_required
from app.api.orders import OrderOut, PreviewOut, order_out, own_order, quote_out
from app.catalog.models import Product, Sku
from app.core.china_time import beijing_iso
from app.core.labels import label
from app.core.rate_limits import per_shopper_and_address
from app.core.request_models import Body, Query, Text
from app.core.validation import documented, use_body, use_query
from app.extensions import db
from app.marketing import flash_offers, flash_purchase, flash_schedule
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


class FlashItemOut(BaseModel):
    id: int
    activity_id: int
    product_id: int
    sku_id: int
    title: str
    image_url: str
    price_fen: int = Field(description="the SKU's shelf price")
    flash_price_fen: int
    stock: int
    sold_percent: int = Field(description="what the progress bar shows; 100 only when none is left")
    sold_out: bool


class FlashSessionOut(BaseModel):
    session_id: int
    name: str
    day: str
    starts_at: str
    ends_at: str
    phase: Literal["past", "now", "coming"]
    phase_label: str


class FlashTodayOut(BaseModel):
    server_time: str = Field(description="Beijing time now: countdowns run from it, not the phone's clock")
    sessions: list[FlashSessionOut] = Field(description="today's sessions in order, each past, now or coming")
    shown: FlashSessionOut | None = Field(description="the session whose items follow: the one asked for, else the "
                                                      "one on now, else the next")
    items: list[FlashItemOut]


class FlashTodayQuery(Query):
    session_id: int | None = Field(None, ge=1, le=2_000_000_000, description="one of today's sessions")


def _session_out(occurrence, phase) -> dict:
    return {"session_id": occurrence.session_id, "name": occurrence.name, "day": occurrence.day.isoformat(),
            "starts_at": beijing_iso(occurrence.starts_at), "ends_at": beijing_iso(occurrence.ends_at),
            "phase": phase.value, "phase_label": label(phase, "Phase")}


@bp.get("/flash-sales/today")
@documented(summary="Today's flash sale sessions (past / now / coming) and the items of one of them",
            response=FlashTodayOut, tags=TAGS)
@use_query(FlashTodayQuery)
def flash_today(query: FlashTodayQuery):
    today = flash_schedule.today_sessions()
    phases = {occurrence.session_id: (occurrence, phase) for occurrence, phase in today.sessions}
    if query.session_id is not None and query.session_id in phases:
        shown = phases[query.session_id]
    elif today.current is not None:
        shown = phases[today.current.session_id]
    elif today.next is not None:
        shown = (today.next, today.next.phase(today.now))
    else:
        shown = None
    items = []
    on_sale = [item for item, _activity in flash_offers.items_on(shown[0])] if shown is not None else []
    skus = {sku.id: sku for sku in db.session.scalars(select(Sku).where(Sku.id.in_({i.sku_id for i in on_sale})))} \
        if on_sale else {}
    products = {product.id: product for product in db.session.scalars(
        select(Product).where(Product.id.in_({i.product_id for i in on_sale})))} if on_sale else {}
    for item in on_sale:  # the SKUs and products in two queries, however many items the session sells
        sku, product = skus.get(item.sku_id), products.get(item.product_id)
        if sku is None or product is None:
            continue
        items.append({"id": item.id, "activity_id": item.activity_id, "product_id": product.id, "sku_id": sku.id,
                      "title": product.title, "image_url": sku.image_url or product.cover_url,
                      "price_fen": sku.price_fen, "flash_price_fen": item.flash_price_fen, "stock": item.stock,
                      "sold_percent": flash_offers.sold_percent(item), "sold_out": item.sold >= item.stock})
    return jsonify({"server_time": beijing_iso(today.now),
                    "sessions": [_session_out(occurrence, phase) for occurrence, phase in today.sessions],
                    "shown": _session_out(*shown) if shown else None, "items": items})
