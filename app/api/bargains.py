"""Bargains (砍价) for the shopper: the live activities, launch one, the page a friend opens to
help (and the progress the launcher watches), my bargains, and buying one through the normal
checkout as an activity order."""

from __future__ import annotations

from flask import jsonify
from flask_babel import gettext as _
from pydantic import BaseModel, Field
from sqlalchemy import select

from app.accounts.models import User
from app.api import bp
from app.api.current_user import current_user, login_required
from app.api.orders import CheckoutIn, OrderOut, PlaceOrderIn, PreviewOut, placed_answer, quote_out
from app.catalog.models import Product, Sku
from app.core.china_time import beijing_iso
from app.core.errors import NotFound
from app.core.labels import label
from app.core.models import utcnow
from app.core.pagination import Page, PageQuery, paginate
from app.core.rate_limits import per_shopper_and_address
from app.core.request_models import Body, Text
from app.core.transactions import commit_with_retry
from app.core.validation import documented, use_body, use_query
from app.distribution import binding
from app.extensions import db
from app.marketing import bargain_activities, bargains
from app.marketing.bargain_models import Bargain, BargainActivity, BargainHelp, BargainStatus
from app.orders import checkout

TAGS = ("bargains",)
HELPERS_SHOWN = 50


class BargainActivityOut(BaseModel):
    id: int
    name: str
    product_id: int
    sku_id: int
    title: str = Field(description="the product and its spec")
    image_url: str
    shelf_price_fen: int = Field(description="the SKU's price today")
    start_price_fen: int
    floor_price_fen: int
    helpers_needed: int
    time_limit_hours: int
    buy_at_current: bool = Field(description="the launcher may buy before the floor, at the price reached")
    status: str = Field(description="coming | live | ended | stopped")
    status_label: str
    starts_at: str
    ends_at: str
    launches_left: int | None = Field(description="how many more I may launch (null when not logged in)")


class BargainActivitiesOut(BaseModel):
    items: list[BargainActivityOut]


class HelperOut(BaseModel):
    nickname: str
    avatar_url: str
    cut_fen: int
    helped_at: str


class BargainOut(BaseModel):
    id: int
    activity_id: int
    sku_id: int
    activity_name: str
    title: str
    image_url: str
    launcher_nickname: str
    launcher_avatar_url: str
    start_price_fen: int
    floor_price_fen: int
    current_price_fen: int
    cut_so_far_fen: int
    left_to_cut_fen: int
    helpers_needed: int
    helpers_count: int
    status: str = Field(description="bargaining | succeeded | bought | expired")
    status_label: str
    expires_at: str
    seconds_left: int = Field(description="until friends can no longer help (0 when over)")
    buy_until: str
    mine: bool = Field(description="I launched it (the progress view); false: a friend's (the help view)")
    helped: bool = Field(description="I have helped it")
    can_help: bool
    can_buy: bool = Field(description="mine, and I may order it now")
    buy_refusal: str = Field(description="why I cannot order it now (code), if mine")
    order_id: int | None = Field(description="the order buying it, when mine")
    helpers: list[HelperOut] = Field(description=f"the latest {HELPERS_SHOWN} helpers, newest first")


class HelpOut(BaseModel):
    cut_fen: int = Field(description="what my help took off")
    bargain: BargainOut
    bound: bool = Field(description="I became the launcher's referral (the shop's binding rules)")


class BargainBuyIn(Body):
    """Buying one's bargain: delivery and the other checkout choices (coupons and points only
    count where the activity lets them stack)."""

    address_id: int | None = Field(None, ge=1, le=2_000_000_000)
    remark: Text = Field("", max_length=200)
    coupon_id: int | None = Field(None, ge=1, le=2_000_000_000)
    no_coupon: bool = False
    points: int = Field(0, ge=0, le=1_000_000_000)


class BargainPlaceIn(BargainBuyIn):
    idempotency_key: str = Field(min_length=8, max_length=64, description="one per checkout attempt")
    expected_payable_fen: int | None = Field(None, ge=0, le=10**9)


def _item(sku_id: int, product_id: int) -> tuple[Sku | None, Product | None]:
    return db.session.get(Sku, sku_id), db.session.get(Product, product_id)


def _title(sku: Sku | None, product: Product | None) -> tuple[str, str]:
    if sku is None or product is None:
        return "", ""
    return bargain_activities.spec_title(product, sku), sku.image_url or product.cover_url


def activity_out(activity: BargainActivity, user_id: int | None) -> dict:
    sku, product = _item(activity.sku_id, activity.product_id)
    title, image = _title(sku, product)
    status = bargain_activities.status_of(activity)
    left = None
    if user_id is not None:
        left = max(0, activity.launches_per_shopper - bargain_activities.launches_of(activity.id, user_id))
    return {"id": activity.id, "name": activity.name, "product_id": activity.product_id, "sku_id": activity.sku_id,
            "title": title, "image_url": image, "shelf_price_fen": sku.price_fen if sku else 0,
            "start_price_fen": activity.start_price_fen, "floor_price_fen": activity.floor_price_fen,
            "helpers_needed": activity.helpers_needed, "time_limit_hours": activity.time_limit_hours,
            "buy_at_current": activity.buy_at_current, "status": status.value,
            "status_label": label(status, "BargainActivityStatus"), "starts_at": beijing_iso(activity.starts_at),
            "ends_at": beijing_iso(activity.ends_at), "launches_left": left}


def bargain_out(bargain: Bargain, viewer_id: int) -> dict:
    activity = db.session.get(BargainActivity, bargain.activity_id)
    sku, product = _item(bargain.sku_id, activity.product_id)
    title, image = _title(sku, product)
    launcher = db.session.get(User, bargain.user_id)
    now = utcnow()
    rows = db.session.execute(
        select(BargainHelp, User.nickname, User.avatar_url).join(User, User.id == BargainHelp.helper_user_id)
        .where(BargainHelp.bargain_id == bargain.id).order_by(BargainHelp.id.desc()).limit(HELPERS_SHOWN)).all()
    mine = bargain.user_id == viewer_id
    helped = any(row[0].helper_user_id == viewer_id for row in rows) or (
        not mine and len(rows) == HELPERS_SHOWN and bargains.helped_by(bargain.id, viewer_id))
    open_for_help = bargain.status == BargainStatus.BARGAINING and bargain.expires_at > now \
        and bargain.order_id is None and activity.stopped_at is None
    refusal = bargains.can_buy(bargain, activity, now) if mine else ""
    return {"id": bargain.id, "activity_id": activity.id, "sku_id": bargain.sku_id, "activity_name": activity.name,
            "title": title,
            "image_url": image, "launcher_nickname": launcher.nickname if launcher else "",
            "launcher_avatar_url": launcher.avatar_url if launcher else "",
            "start_price_fen": bargain.start_price_fen, "floor_price_fen": bargain.floor_price_fen,
            "current_price_fen": bargain.current_price_fen,
            "cut_so_far_fen": bargain.start_price_fen - bargain.current_price_fen,
            "left_to_cut_fen": bargain.current_price_fen - bargain.floor_price_fen,
            "helpers_needed": bargain.helpers_needed, "helpers_count": bargain.helpers_count,
            "status": bargain.status, "status_label": label(bargain.status, "BargainStatus"),
            "expires_at": beijing_iso(bargain.expires_at),
            "seconds_left": max(0, int((bargain.expires_at - now).total_seconds())) if open_for_help else 0,
            "buy_until": beijing_iso(bargain.buy_until), "mine": mine, "helped": helped,
            "can_help": open_for_help and not mine and not helped, "can_buy": mine and not refusal,
            "buy_refusal": refusal, "order_id": bargain.order_id if mine else None,
            "helpers": [{"nickname": nickname, "avatar_url": avatar, "cut_fen": row.cut_fen,
                         "helped_at": beijing_iso(row.created_at)} for row, nickname, avatar in rows]}


@bp.get("/bargain-activities")
@documented(summary="The bargain activities running now", response=BargainActivitiesOut, auth=True, tags=TAGS)
@login_required
def bargain_activity_list():
    user_id = current_user().id
    live = db.session.scalars(bargain_activities.activity_list(status="live").limit(100))
    return jsonify({"items": [activity_out(activity, user_id) for activity in live]})


@bp.get("/bargain-activities/<int:activity_id>")
@documented(summary="One bargain activity (404 when it does not exist)", response=BargainActivityOut, auth=True,
            tags=TAGS)
@login_required
def bargain_activity_detail(activity_id: int):
    activity = db.session.get(BargainActivity, activity_id)
    if activity is None:
        raise NotFound(_("This bargain activity does not exist."), code="activity_not_found")
    return jsonify(activity_out(activity, current_user().id))


@bp.post("/bargain-activities/<int:activity_id>/launch")
@documented(summary="Launch a bargain (409 activity_not_live, launch_limit)", response=BargainOut, auth=True,
            tags=TAGS, status=201)
@per_shopper_and_address("RATE_LIMIT_BARGAIN_HELP")
@login_required
def bargain_launch(activity_id: int):
    user_id = current_user().id
    bargain = bargains.launch(user_id, activity_id)
    db.session.commit()
    return jsonify(bargain_out(db.session.get(Bargain, bargain.id), user_id)), 201


@bp.get("/bargains")
@documented(summary="My bargains, newest first", response=Page[BargainOut], auth=True, tags=TAGS)
@login_required
@use_query(PageQuery)
def bargain_list(query: PageQuery):
    user_id = current_user().id
    statement = select(Bargain).where(Bargain.user_id == user_id).order_by(Bargain.id.desc())
    return jsonify(paginate(statement, query, lambda bargain: bargain_out(bargain, user_id)))


@bp.get("/bargains/<int:bargain_id>")
@documented(summary="A bargain: my progress, or what a friend sees when asked to help", response=BargainOut,
            auth=True, tags=TAGS)
@login_required
def bargain_detail(bargain_id: int):
    bargain = db.session.get(Bargain, bargain_id)
    if bargain is None:
        raise NotFound(_("This bargain does not exist."), code="bargain_not_found")
    return jsonify(bargain_out(bargain, current_user().id))


@bp.post("/bargains/<int:bargain_id>/help")
@documented(summary="Help a friend's bargain (409 self_help, already_helped, bargain_complete, bargain_ended, "
                    "help_limit)", response=HelpOut, auth=True, tags=TAGS, status=201)
@per_shopper_and_address("RATE_LIMIT_BARGAIN_HELP")
@login_required
def bargain_help(bargain_id: int):
    user_id = current_user().id
    help_row = bargains.help_bargain(bargain_id, user_id)
    cut, launcher_id = help_row.cut_fen, db.session.get(Bargain, bargain_id).user_id
    db.session.commit()
    # a new helper may become the launcher's referral, by the shop's binding rules (its own transaction)
    outcome = commit_with_retry(lambda: binding.bind(user_id, launcher_id, "link"))
    bargain = db.session.get(Bargain, bargain_id)
    return jsonify({"cut_fen": cut, "bargain": bargain_out(bargain, user_id),
                    "bound": outcome.result in ("bound", "rebound")}), 201


def _checkout_in(body: BargainBuyIn, bargain: Bargain, place: bool) -> CheckoutIn:
    values = {"lines": [{"sku_id": bargain.sku_id, "quantity": 1}], "address_id": body.address_id,
              "remark": body.remark, "coupon_id": body.coupon_id, "no_coupon": body.no_coupon, "points": body.points,
              "activity": {"kind": "bargain", "ref": str(bargain.id)}}
    if place:
        values.update(idempotency_key=body.idempotency_key, expected_payable_fen=body.expected_payable_fen)
        return PlaceOrderIn.model_validate(values)
    return CheckoutIn.model_validate(values)


@bp.post("/bargains/<int:bargain_id>/preview")
@documented(summary="What buying my bargain would cost now (409 when it cannot be bought now)",
            response=PreviewOut, auth=True, tags=TAGS)
@login_required
@use_body(BargainBuyIn)
def bargain_preview(bargain_id: int, body: BargainBuyIn):
    user_id = current_user().id
    checkout_in = _checkout_in(body, bargains.own_bargain(user_id, bargain_id), place=False)
    answer = quote_out(checkout.preview(user_id, checkout_in.request(user_id)))
    db.session.commit()
    return jsonify(answer)


@bp.post("/bargains/<int:bargain_id>/buy")
@documented(summary="Order my bargain at the price reached, through the normal checkout (201; 409 "
                    "floor_not_reached, bargain_ordered, buy_window_over)", response=OrderOut, auth=True, tags=TAGS,
            status=201)
@login_required
@use_body(BargainPlaceIn)
def bargain_buy(bargain_id: int, body: BargainPlaceIn):
    user_id = current_user().id
    place_in = _checkout_in(body, bargains.own_bargain(user_id, bargain_id), place=True)
    return placed_answer(user_id, lambda: place_in.request(user_id), place_in)
