"""The shopper's after-sales: apply, list, detail, withdraw, give the return tracking number."""

from __future__ import annotations

from typing import Literal

from flask import jsonify
from flask_babel import gettext as _
from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from app.api import bp
from app.api.current_user import current_user, login_required
from app.api.uploads import is_uploaded_image
from app.core.errors import ValidationError
from app.core.pagination import Page, PageQuery, paginate
from app.core.request_models import Body, MediaUrl, MultilineText
from app.core.validation import documented, use_body, use_query
from app.extensions import db
from app.orders import after_sales
from app.orders.models import AfterSale
from app.orders.states import AFTER_SALE_STATUS_LABELS, AfterSaleStatus


class AfterSaleIn(Body):
    model_config = ConfigDict(json_schema_extra={"anyOf": [  # "other" needs a description
        {"properties": {"reason": {"not": {"enum": [after_sales.OTHER_REASON]}}}},
        {"properties": {"description": {"pattern": r"\S"}}, "required": ["description"]}]})

    order_item_id: int = Field(ge=1)
    kind: Literal["refund_only", "return_refund"]
    quantity: int = Field(ge=1, le=100_000)
    amount_fen: int | None = Field(None, ge=0, le=100_000_000,
                                   description="default: the units' share of what was paid for the item; "
                                               "0 only for an item paid entirely with points")
    reason: Literal[after_sales.REASONS] = Field(description="one of GET /after-sales/reasons")  # type: ignore[valid-type]
    description: MultilineText = Field("", max_length=500)
    photos: list[MediaUrl] = Field(default_factory=list, max_length=after_sales.MAX_PHOTOS,
                                   description="URLs from POST /uploads/image")

    @field_validator("description")
    @classmethod
    def _other_is_described(cls, description: str, info: ValidationInfo) -> str:
        if info.data.get("reason") == after_sales.OTHER_REASON and not description.strip():
            raise PydanticCustomError("describe_other", "describe the problem")
        return description


class ReturnIn(Body):
    courier_code: str = Field(min_length=1, max_length=32, pattern=r"^[A-Za-z0-9_-]+$",
                              description="e.g. SF, ZTO, YTO")
    tracking_no: str = Field(min_length=4, max_length=40, pattern=r"^[A-Za-z0-9-]+$")


class AfterSaleListQuery(PageQuery):
    status: Literal["", "requested", "approved", "returning", "refunding", "refunded", "rejected",
                    "cancelled"] = ""


class AfterSaleOut(BaseModel):
    id: int
    after_sale_no: str
    order_id: int
    order_no: str
    order_item_id: int
    title: str
    spec_text: str
    image_url: str
    kind: str
    status: str
    status_label: str
    quantity: int
    amount_fen: int
    refund_points: int = Field(description="points given back with the refund (of what points paid); "
                                           "what came back once refunded")
    reason: str
    description: str
    photos: list[str]
    reject_reason: str
    return_address: str
    return_courier_code: str
    return_tracking_no: str
    refund_method: str
    can_cancel: bool
    can_submit_return: bool
    created_at: str
    reviewed_at: str | None
    returned_at: str | None
    received_at: str | None
    refunded_at: str | None


class ReasonsOut(BaseModel):
    reasons: list[str]
    other: str
    max_photos: int


def _time(moment) -> str | None:
    return moment.isoformat() + "Z" if moment else None


def after_sale_out(row: AfterSale) -> dict:
    item = row.item
    return AfterSaleOut(
        id=row.id, after_sale_no=row.after_sale_no, order_id=row.order_id, order_no=row.order.order_no,
        order_item_id=row.order_item_id, title=item.title, spec_text=item.spec_text, image_url=item.image_url,
        kind=row.kind, status=row.status, status_label=str(AFTER_SALE_STATUS_LABELS[row.status]),
        quantity=row.quantity, amount_fen=row.amount_fen, refund_points=row.refund_points, reason=row.reason,
        description=row.description, photos=list(row.photo_urls or []), reject_reason=row.reject_reason,
        return_address=row.return_address,
        return_courier_code=row.return_courier_code, return_tracking_no=row.return_tracking_no,
        refund_method=row.refund_method,
        can_cancel=row.status in (AfterSaleStatus.REQUESTED, AfterSaleStatus.APPROVED),
        can_submit_return=row.status == AfterSaleStatus.APPROVED and row.kind == "return_refund",
        created_at=_time(row.created_at), reviewed_at=_time(row.reviewed_at), returned_at=_time(row.returned_at),
        received_at=_time(row.received_at), refunded_at=_time(row.refunded_at),
    ).model_dump()


@bp.get("/after-sales/reasons")
@documented(summary="The reasons a shopper picks from (其他 wants a description)", response=ReasonsOut,
            tags=("after-sales",))
def after_sale_reasons():
    return jsonify(reasons=list(after_sales.REASONS), other=after_sales.OTHER_REASON,
                   max_photos=after_sales.MAX_PHOTOS)


@bp.post("/after-sales")
@documented(summary="Ask for a refund (or a return and refund) of some units of an order item",
            response=AfterSaleOut, auth=True, tags=("after-sales",), status=201)
@login_required
@use_body(AfterSaleIn)
def after_sale_create(body: AfterSaleIn):
    after_sales.own_order_item(current_user().id, body.order_item_id)  # a 404 before looking at photos
    bad = [index for index, url in enumerate(body.photos) if not is_uploaded_image(url, current_user().id)]
    if bad:
        raise ValidationError(_("Some fields are invalid."),
                              fields={f"photos.{index}": _("Upload the photo first.") for index in bad})
    row = after_sales.request_after_sale(current_user().id, after_sales.Application(
        order_item_id=body.order_item_id, kind=body.kind, quantity=body.quantity, reason=body.reason,
        amount_fen=body.amount_fen, description=body.description, photos=tuple(body.photos)))
    db.session.commit()
    return jsonify(after_sale_out(row)), 201


@bp.get("/after-sales")
@documented(summary="My after-sale requests, newest first", response=Page[AfterSaleOut], auth=True,
            tags=("after-sales",))
@login_required
@use_query(AfterSaleListQuery)
def after_sale_list(query: AfterSaleListQuery):
    return jsonify(paginate(after_sales.shoppers_after_sales(current_user().id, query.status), query,
                            after_sale_out))


@bp.get("/after-sales/<int:after_sale_id>")
@documented(summary="One of my after-sale requests", response=AfterSaleOut, auth=True, tags=("after-sales",))
@login_required
def after_sale_detail(after_sale_id: int):
    return jsonify(after_sale_out(after_sales.shoppers_after_sale(current_user().id, after_sale_id)))


@bp.post("/after-sales/<int:after_sale_id>/cancel")
@documented(summary="Withdraw a request not yet sent back or refunded", response=AfterSaleOut, auth=True,
            tags=("after-sales",))
@login_required
def after_sale_cancel(after_sale_id: int):
    row = after_sales.cancel(current_user().id, after_sale_id)
    db.session.commit()
    return jsonify(after_sale_out(row))


@bp.post("/after-sales/<int:after_sale_id>/return")
@documented(summary="Give the courier and tracking number of the goods sent back", response=AfterSaleOut,
            auth=True, tags=("after-sales",))
@login_required
@use_body(ReturnIn)
def after_sale_return(after_sale_id: int, body: ReturnIn):
    row = after_sales.submit_return(current_user().id, after_sale_id, body.courier_code, body.tracking_no)
    db.session.commit()
    return jsonify(after_sale_out(row))
