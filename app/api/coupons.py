"""Coupons for the shopper: the coupon centre and claiming, my coupons by tab, exchange for
points, and the coupons a product page offers."""

from __future__ import annotations

from typing import Literal

from flask import jsonify
from flask_babel import gettext as _
from pydantic import BaseModel, Field

from app.api import bp
from app.api.current_user import current_user, login_required
from app.core.china_time import beijing_iso
from app.core.labels import label
from app.core.pagination import Page, PageQuery, paginate
from app.core.rate_limits import per_shopper_and_address
from app.core.request_models import Body
from app.core.validation import documented, use_body, use_query
from app.extensions import db
from app.marketing import coupon_centre
from app.marketing.coupon_centre import CentreEntry
from app.marketing.coupon_models import Coupon, CouponTemplate
from app.marketing.coupon_pricing import describe


class CentreCouponOut(BaseModel):
    template_id: int
    title: str
    description: str = Field(description="e.g. 满199减20")
    kind: str = Field(description="amount_off | rate_off | no_threshold")
    scope: str = Field(description="all | products | categories | except_products")
    scope_label: str
    validity_text: str = Field(description="e.g. 领取后7天内有效, or the dates")
    points_price: int = Field(description="points to exchange for one; 0: not exchangeable")
    left: int | None = Field(description="how many are left to give; null: unlimited")
    claimed: int = Field(description="how many I have received")
    can_claim: bool


class CentreOut(BaseModel):
    items: list[CentreCouponOut]


class MyCouponOut(BaseModel):
    id: int
    template_id: int
    title: str
    description: str
    status: str = Field(description="unused | locked | used | expired | revoked")
    status_label: str
    source_label: str
    valid_from: str
    valid_until: str
    order_id: int | None
    reason: str = Field(description="why it cannot be used now, if so")


class MyCouponsOut(Page[MyCouponOut]):
    counts: dict[str, int] = Field(description="per tab, up to 100 (shown as 99+)")


class MyCouponsQuery(PageQuery):
    tab: Literal["usable", "used", "expired"] = "usable"


class ExchangeIn(Body):
    request_key: str = Field(min_length=8, max_length=40, description="one per tap: a retry exchanges once")


def _validity_text(template: CouponTemplate) -> str:
    if template.validity == "fixed" and template.valid_from and template.valid_until:
        return _("%(start)s to %(end)s", start=beijing_iso(template.valid_from)[:10],
                 end=beijing_iso(template.valid_until)[:10])
    return _("Valid for %(days)s days after receipt", days=template.valid_days)


def centre_out(entry: CentreEntry) -> dict:
    template = entry.template
    return {"template_id": template.id, "title": template.name, "description": describe(template),
            "kind": template.kind, "scope": template.scope, "scope_label": label(template.scope, "CouponScope"),
            "validity_text": _validity_text(template), "points_price": template.points_price,
            "left": template.left, "claimed": entry.claimed, "can_claim": entry.can_claim}


def my_coupon_out(coupon: Coupon) -> dict:
    template = coupon.template
    return {"id": coupon.id, "template_id": template.id, "title": template.name, "description": describe(template),
            "status": coupon.status, "status_label": label(coupon.status, "CouponStatus"),
            "source_label": label(coupon.source, "CouponSource"), "valid_from": beijing_iso(coupon.valid_from),
            "valid_until": beijing_iso(coupon.valid_until), "order_id": coupon.order_id,
            "reason": coupon_centre.unusable_reason(coupon)}


@bp.get("/coupons/centre")
@documented(summary="The coupon centre: coupons to claim, with what I already claimed",
            response=CentreOut, auth=True, tags=("coupons",))
@login_required
def coupon_centre_list():
    return jsonify({"items": [centre_out(entry) for entry in coupon_centre.centre(current_user().id)]})


@bp.post("/coupons/centre/<int:template_id>/claim")
@documented(summary="Claim a coupon from the centre (409 when all given out or my limit is reached)",
            response=MyCouponOut, auth=True, tags=("coupons",), status=201)
@per_shopper_and_address("RATE_LIMIT_COUPON_CLAIM")
@login_required
def coupon_claim(template_id: int):
    coupon = coupon_centre.claim_from_centre(current_user().id, template_id)
    db.session.commit()
    return jsonify(my_coupon_out(db.session.get(Coupon, coupon.id))), 201


@bp.post("/coupons/exchange/<int:template_id>")
@documented(summary="Exchange points for a coupon (409 points_not_enough when short)",
            response=MyCouponOut, auth=True, tags=("coupons",), status=201)
@per_shopper_and_address("RATE_LIMIT_COUPON_CLAIM")
@login_required
@use_body(ExchangeIn)
def coupon_exchange(template_id: int, body: ExchangeIn):
    coupon = coupon_centre.exchange_for_points(current_user().id, template_id, body.request_key)
    db.session.commit()
    return jsonify(my_coupon_out(db.session.get(Coupon, coupon.id))), 201


@bp.get("/coupons/mine")
@documented(summary="My coupons by tab (usable, used, expired), newest first, with counts",
            response=MyCouponsOut, auth=True, tags=("coupons",))
@login_required
@use_query(MyCouponsQuery)
def coupon_mine(query: MyCouponsQuery):
    user_id = current_user().id
    page = paginate(coupon_centre.my_coupons(user_id, query.tab), query, my_coupon_out)
    page["counts"] = coupon_centre.tab_counts(user_id)
    return jsonify(page)


@bp.get("/products/<int:product_id>/coupons")
@documented(summary="The centre's coupons this product can use, with my claim state",
            response=CentreOut, auth=True, tags=("coupons",))
@login_required
def product_coupons(product_id: int):
    entries = coupon_centre.for_product(current_user().id, product_id)
    return jsonify({"items": [centre_out(entry) for entry in entries]})
