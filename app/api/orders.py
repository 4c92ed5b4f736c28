"""The shopper's orders: preview and place (checkout), list with counts, detail, cancel."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Literal

from flask import jsonify
from flask_babel import gettext as _
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.api import bp
from app.api.current_user import current_user, login_required
from app.core.china_time import beijing_iso
from app.core.errors import Conflict, NotFound
from app.core.models import utcnow
from app.core.money import fen_to_yuan
from app.core.pagination import Page, PageQuery, paginate
from app.core.request_models import MAX_FEN, Body, Text
from app.core.validation import documented, use_body, use_query
from app.extensions import db
from app.marketing import activity_orders
from app.orders import after_sales, checkout, oplog
from app.orders.closing import CloseOutcome, close_unpaid_order
from app.orders.models import Order
from app.orders.pricing import Quote
from app.orders.queries import OrderFilter, count_by_status, search_orders
from app.orders.states import ORDER_STATUS_LABELS, OrderStatus

SkuId = Annotated[int, Field(ge=1, le=2_000_000_000)]
TABS = ("pending_payment", "paid", "shipped", "completed")


class CheckoutLineIn(Body):
    model_config = ConfigDict(extra="ignore")  # prices a client sends are ignored, not trusted

    sku_id: SkuId
    quantity: int = Field(ge=1, le=999)


class ActivityIn(Body):
    kind: Literal["flash_sale", "group_buy", "bargain"]
    ref: str = Field(min_length=1, max_length=32, pattern=r"^[0-9A-Za-z_:@-]+$",
                     description="the activity's reference: the bargain id; for a group buy the activity "
                                 "id to start a group, or activity:group to join one")


class CheckoutIn(Body):
    model_config = ConfigDict(extra="ignore", json_schema_extra={"anyOf": [  # the cart, or lines
        {"properties": {"from_cart": {"enum": [True]}, "lines": {"maxItems": 0}}, "required": ["from_cart"]},
        {"properties": {"from_cart": {"enum": [False]}, "lines": {"minItems": 1}}, "required": ["lines"]}]})

    from_cart: bool = False
    lines: list[CheckoutLineIn] = Field(default_factory=list, max_length=100, description="buy-now lines")
    address_id: int | None = Field(None, ge=1, le=2_000_000_000, description="default address if omitted")
    remark: Text = Field("", max_length=200)
    coupon_id: int | None = Field(None, ge=1, le=2_000_000_000,
                                  description="the shopper's coupon to use; omitted: the one saving most")
    no_coupon: bool = Field(False, description="use no coupon (overrides the best-coupon default)")
    points: int = Field(0, ge=0, le=1_000_000_000, description="points to spend; more than allowed is capped")
    activity: ActivityIn | None = Field(
        None, description="an activity order (秒杀, 拼团, 砍价): lines are then its one item, at the activity's price; "
                          "omitted for an ordinary order",
        json_schema_extra=lambda schema: schema.pop("default", None))  # OpenAPI 3.0: a null default fails a $ref

    @field_validator("lines")
    @classmethod
    def _the_cart_or_lines(cls, lines: list[CheckoutLineIn], info: ValidationInfo) -> list[CheckoutLineIn]:
        if info.data.get("from_cart") and lines:
            raise PydanticCustomError("cart_or_lines", "the cart or lines, not both")
        if info.data.get("from_cart") is False and not lines:
            raise PydanticCustomError("no_lines", "at least one line")
        return lines

    def request(self, user_id: int) -> checkout.CheckoutRequest:
        """The checkout request; an activity's terms are asked of the activity now (4xx when it
        does not sell this shopper anything now)."""
        terms = activity_orders.terms_for(user_id, self.activity.kind, self.activity.ref) if self.activity else None
        return checkout.CheckoutRequest(from_cart=self.from_cart,
                                        lines=[(line.sku_id, line.quantity) for line in self.lines],
                                        address_id=self.address_id, remark=self.remark, coupon_id=self.coupon_id,
                                        best_coupon=not self.no_coupon, points=self.points, activity=terms)


class PlaceOrderIn(CheckoutIn):
    idempotency_key: str = Field(min_length=8, max_length=64, description="one per checkout attempt")
    expected_payable_fen: int | None = Field(None, ge=0, le=MAX_FEN, description="409 price_changed if it differs")


class CancelIn(Body):
    reason: Text = Field("", max_length=100)


class OrdersQuery(PageQuery):
    status: Literal["all", "pending_payment", "paid", "shipped", "completed"] = "all"


class DiscountPartOut(BaseModel):
    kind: str
    ref: str
    amount_fen: int
    points: int = 0


class QuoteLineOut(BaseModel):
    sku_id: int
    product_id: int
    title: str
    spec_text: str
    image_url: str
    unit_price_fen: int
    quantity: int
    line_total_fen: int
    discount_fen: int
    discount_parts: list[DiscountPartOut]


class DiscountOut(BaseModel):
    kind: str
    label: str
    amount_fen: int
    points: int = 0


class CouponOfferOut(BaseModel):
    id: int = Field(description="the shopper's coupon")
    title: str
    description: str = Field(description="e.g. 满199减20")
    saving_fen: int = Field(description="what it would take off this order (0 when not usable)")
    usable: bool
    reason: str = Field("", description="why it cannot be used here")
    expires_at: str | None


class PointsOfferOut(BaseModel):
    balance: int
    max_points: int = Field(description="the most this order can spend")
    points_used: int
    saving_fen: int
    points_per_yuan: int
    note: str = Field("", description="e.g. why points cannot be used")


class PromotionHintOut(BaseModel):
    kind: str
    label: str = Field(description="e.g. 满199减20")
    hint: str = Field(description="e.g. 再买¥31减20, or 已减20")


class PreviewOut(BaseModel):
    lines: list[QuoteLineOut]
    address: dict | None
    items_total_fen: int
    freight_fen: int
    freight_waived_by: str = Field(description="what made delivery free, if anything")
    discounts: list[DiscountOut]
    coupon_id: int | None = Field(description="the coupon this preview used")
    coupons: list[CouponOfferOut] = Field(description="the shopper's coupons, usable first, best first")
    points: PointsOfferOut | None
    promotions: list[PromotionHintOut]
    discount_fen: int
    payable_fen: int
    pay_methods: list[str]


class OrderItemOut(BaseModel):
    id: int
    sku_id: int
    product_id: int
    title: str
    spec_text: str
    image_url: str
    unit_price_fen: int
    quantity: int
    line_total_fen: int
    discount_fen: int
    discount_parts: list[DiscountPartOut]
    paid_fen: int
    refundable_fen: int = Field(description="what an after-sale request may still ask back for this item")
    claimable_quantity: int = Field(description="units not yet in an after-sale request")
    refundable_points: int = Field(description="points (of what points paid for the item) an after-sale request "
                                               "would still give back")


class OrderSummaryOut(BaseModel):
    id: int
    order_no: str
    status: str
    status_label: str
    payable_fen: int
    total_quantity: int
    created_at: str
    items: list[OrderItemOut]


class OrderOut(OrderSummaryOut):
    items_total_fen: int
    freight_fen: int
    discount_fen: int
    discounts: list[DiscountOut]
    paid_fen: int
    refunded_fen: int
    pay_method: str | None
    pay_methods: list[str] = Field(description="how a pending order can be paid now (shop settings)")
    address: dict
    shopper_remark: str
    pay_deadline: str
    pay_seconds_left: int
    paid_at: str | None
    shipped_at: str | None
    completed_at: str | None
    cancelled_at: str | None
    closed_at: str | None
    activity_kind: str | None = Field(description="flash_sale | group_buy | bargain: bought in that activity")
    activity_ref: str | None = Field(description="the activity's reference, as ordered: the bargain id; for a "
                                                 "group buy the activity id, or activity:group for a join")


class OrderListOut(Page[OrderSummaryOut]):
    counts: dict[str, int]


def quote_out(result: Quote) -> dict:
    address = result.address
    return {
        "lines": [{"sku_id": line.sku.id, "product_id": line.product.id, "title": line.product.title,
                   "spec_text": line.spec_text, "image_url": line.image_url, "unit_price_fen": line.unit_price_fen,
                   "quantity": line.quantity, "line_total_fen": line.line_total_fen,
                   "discount_fen": line.discount_fen, "discount_parts": line.parts} for line in result.lines],
        "address": None if address is None else {
            "id": address.id, "receiver_name": address.receiver_name, "receiver_phone": address.receiver_phone,
            "region_code": address.region_code, "region_text": address.region_text, "detail": address.detail},
        "items_total_fen": result.items_total_fen, "freight_fen": result.freight_fen,
        "freight_waived_by": result.freight_waived_by,
        "discounts": [_discount_out(d.as_dict()) for d in result.discounts],
        "coupon_id": result.offers.get("coupon_id"), "coupons": result.offers.get("coupons", []),
        "points": result.offers.get("points"), "promotions": result.offers.get("promotions", []),
        "discount_fen": result.discount_fen, "payable_fen": result.payable_fen,
        "pay_methods": checkout.enabled_pay_methods(),
    }


def _discount_out(discount: dict) -> dict:
    return {"kind": discount.get("kind", ""), "label": discount.get("label", ""),
            "amount_fen": discount.get("amount_fen", 0), "points": discount.get("points", 0)}


def _item_out(item) -> dict:
    return {"id": item.id, "sku_id": item.sku_id, "product_id": item.product_id, "title": item.title,
            "spec_text": item.spec_text, "image_url": item.image_url, "unit_price_fen": item.unit_price_fen,
            "quantity": item.quantity, "line_total_fen": item.line_total_fen, "discount_fen": item.discount_fen,
            "discount_parts": item.discount_parts or [], "paid_fen": item.paid_fen,
            "refundable_fen": item.paid_fen - item.claimed_fen,
            "claimable_quantity": item.quantity - item.claimed_quantity,
            "refundable_points": after_sales.refundable_points(item)}


def order_summary(order: Order) -> dict:
    return {"id": order.id, "order_no": order.order_no, "status": order.status,
            "status_label": str(ORDER_STATUS_LABELS[OrderStatus(order.status)]), "payable_fen": order.payable_fen,
            "total_quantity": order.total_quantity, "created_at": beijing_iso(order.created_at),
            "items": [_item_out(item) for item in order.items]}


def order_out(order: Order) -> dict:
    """What the shopper sees of an order (never the merchant's remark)."""
    pending = order.status == OrderStatus.PENDING_PAYMENT
    return {
        **order_summary(order),
        "items_total_fen": order.items_total_fen, "freight_fen": order.freight_fen,
        "discount_fen": order.discount_fen,
        "discounts": [_discount_out(d) for d in order.discounts or []],
        "paid_fen": order.paid_fen, "refunded_fen": order.refunded_fen, "pay_method": order.pay_method,
        "pay_methods": checkout.enabled_pay_methods() if pending else [],
        "address": {"receiver_name": order.receiver_name, "receiver_phone": order.receiver_phone,
                    "region_code": order.region_code, "region_text": order.region_text,
                    "detail": order.address_detail},
        "shopper_remark": order.shopper_remark, "pay_deadline": beijing_iso(order.pay_deadline),
        "pay_seconds_left": max(0, int((order.pay_deadline - utcnow()).total_seconds())) if pending else 0,
        "paid_at": beijing_iso(order.paid_at), "shipped_at": beijing_iso(order.shipped_at),
        "completed_at": beijing_iso(order.completed_at), "cancelled_at": beijing_iso(order.cancelled_at),
        "closed_at": beijing_iso(order.closed_at),
        "activity_kind": order.activity_kind, "activity_ref": order.activity_ref,
    }


def own_order(order_id: int) -> Order:
    order = db.session.scalar(select(Order).where(Order.id == order_id, Order.user_id == current_user().id)
                              .options(selectinload(Order.items)))
    if order is None:
        raise NotFound(_("This order does not exist."), code="order_not_found")
    return order


@bp.post("/orders/preview")
@documented(summary="What an order would cost now: goods, freight, discounts, payable, pay methods",
            response=PreviewOut, auth=True, tags=("orders",))
@login_required
@use_body(CheckoutIn)
def order_preview(body: CheckoutIn):
    user_id = current_user().id
    result = checkout.preview(user_id, body.request(user_id))
    answer = quote_out(result)
    db.session.commit()
    return jsonify(answer)


@bp.post("/orders")
@documented(summary="Place an order (201; 200 with the same order when the idempotency key was used)",
            response=OrderOut, auth=True, tags=("orders",), status=201)
@login_required
@use_body(PlaceOrderIn)
def order_create(body: PlaceOrderIn):
    user_id = current_user().id
    return placed_answer(user_id, lambda: body.request(user_id), body)


def placed_answer(user_id: int, request_for: Callable[[], checkout.CheckoutRequest], body: PlaceOrderIn):
    """Place the order and answer it (201; 200 for a repeated key, before asking an activity
    again — its item is that order's by now; 409 price_changed with the new preview)."""
    earlier = checkout.order_by_key(user_id, body.idempotency_key)
    if earlier is not None:
        return jsonify(order_out(own_order(earlier.id))), 200
    request = request_for()
    try:
        order, created = checkout.place_order(user_id, request, body.idempotency_key, body.expected_payable_fen)
    except checkout.PriceChanged as exc:
        answer = quote_out(exc.quote)
        db.session.rollback()
        payload = {"error": {"code": exc.code, "message": exc.message, "fields": {
            "expected_payable_fen": _("The total is now ¥%(yuan)s.", yuan=fen_to_yuan(exc.quote.payable_fen))}},
            "preview": answer}
        return jsonify(payload), exc.status
    db.session.commit()
    return jsonify(order_out(own_order(order.id))), 201 if created else 200


@bp.get("/orders")
@documented(summary="My orders by tab (all, pending_payment, paid, shipped, completed), with counts",
            response=OrderListOut, auth=True, tags=("orders",))
@login_required
@use_query(OrdersQuery)
def order_list(query: OrdersQuery):
    user_id = current_user().id
    criteria = OrderFilter(status="" if query.status == "all" else query.status, user_id=user_id)
    page = paginate(search_orders(criteria).options(selectinload(Order.items)), query, order_summary)
    counts = count_by_status(OrderFilter(user_id=user_id))
    page["counts"] = {"all": sum(counts.values()), **{tab: counts.get(tab, 0) for tab in TABS}}
    return jsonify(page)


@bp.get("/orders/<int:order_id>")
@documented(summary="One of my orders", response=OrderOut, auth=True, tags=("orders",))
@login_required
def order_detail(order_id: int):
    return jsonify(order_out(own_order(order_id)))


@bp.post("/orders/<int:order_id>/cancel")
@documented(summary="Cancel an unpaid order (its stock returns)", response=OrderOut, auth=True, tags=("orders",))
@login_required
@use_body(CancelIn)
def order_cancel(order_id: int, body: CancelIn):
    order = own_order(order_id)
    if order.status != OrderStatus.PENDING_PAYMENT:
        raise Conflict(_("Only an unpaid order can be cancelled."), code="order_not_cancellable")
    outcome = close_unpaid_order(order.id, oplog.shopper(current_user().id), "shopper", note=body.reason.strip())
    db.session.commit()  # also when WeChat reports the payment paid: that is recorded
    if outcome == CloseOutcome.PAID:
        raise Conflict(_("This order has just been paid and can no longer be cancelled."), code="order_paid")
    if outcome != CloseOutcome.CLOSED:
        raise Conflict(_("Only an unpaid order can be cancelled."), code="order_not_cancellable")
    return jsonify(order_out(own_order(order.id)))
