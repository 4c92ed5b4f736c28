"""The shopper's group buys (拼团): the activities running now (a product page's), the groups
forming for one (to join), a group with its members and the seats left (what a friend opens
from the share card), and my groups. Starting or joining one is an order: `POST /orders` with
`activity: {kind: "group_buy", ref}` (app/marketing/group_kind.py)."""

from __future__ import annotations

from flask import jsonify
from flask_babel import gettext as _
from pydantic import BaseModel, Field

from app.api import bp
from app.api.current_user import current_user, login_required
from app.catalog.models import Product, Sku
from app.core.china_time import beijing_iso
from app.core.errors import NotFound
from app.core.labels import label
from app.core.models import utcnow
from app.core.pagination import Page, PageQuery, paginate
from app.core.validation import documented, use_query
from app.extensions import db
from app.marketing import group_queries
from app.marketing.group_models import GroupActivity, GroupBuyGroup, GroupStatus

TAGS = ("group buy",)


class GroupMemberOut(BaseModel):
    nickname: str
    avatar_url: str
    is_leader: bool


class GroupOut(BaseModel):
    id: int
    activity_id: int
    ref: str = Field(description="pass as the order's activity ref to join this group")
    status: str
    status_label: str
    size: int
    joined: int
    seats_left: int
    expires_at: str = Field(description="Beijing time; the countdown runs to it")
    server_time: str = Field(description="Beijing time now, for the countdown")
    members: list[GroupMemberOut]
    i_am_in: bool
    can_join: bool


class GroupActivityOut(BaseModel):
    id: int
    name: str
    product_id: int
    sku_id: int
    title: str
    image_url: str
    price_fen: int = Field(description="the SKU's shelf price")
    group_price_fen: int
    leader_price_fen: int | None
    group_size: int
    time_limit_hours: int
    new_shoppers_only: bool
    ends_at: str
    start_ref: str = Field(description="pass as the order's activity ref to start a group")
    forming: list[GroupOut] = Field(description="groups a shopper may join now, the closest to forming first")


class GroupActivitiesOut(BaseModel):
    items: list[GroupActivityOut]


class MyGroupOut(BaseModel):
    group: GroupOut
    activity_name: str
    order_id: int
    member_status: str
    member_status_label: str


def group_out(group: GroupBuyGroup, members: list, viewer_id: int) -> dict:
    now = utcnow()
    i_am_in = any(member.user_id == viewer_id for member, _nickname, _avatar in members)
    joinable = group.status == GroupStatus.FORMING and group.expires_at > now and group.joined < group.size
    return {"id": group.id, "activity_id": group.activity_id, "ref": f"{group.activity_id}:{group.id}",
            "status": group.status, "status_label": label(group.status, "GroupStatus"), "size": group.size,
            "joined": group.joined, "seats_left": max(group.size - group.joined - group.virtual_seats, 0),
            "expires_at": beijing_iso(group.expires_at), "server_time": beijing_iso(now),
            "members": [{"nickname": nickname or _("Shopper"), "avatar_url": avatar or "",
                         "is_leader": member.is_leader} for member, nickname, avatar in members],
            "i_am_in": i_am_in, "can_join": joinable and not i_am_in}


def _activity_out(activity: GroupActivity, viewer_id: int) -> dict:
    sku, product = db.session.get(Sku, activity.sku_id), db.session.get(Product, activity.product_id)
    groups = group_queries.forming_groups(activity.id)
    members = group_queries.seated([group.id for group in groups])
    return {"id": activity.id, "name": activity.name, "product_id": activity.product_id, "sku_id": activity.sku_id,
            "title": product.title if product else "", "image_url": (sku.image_url if sku else "") or
            (product.cover_url if product else ""), "price_fen": sku.price_fen if sku else 0,
            "group_price_fen": activity.group_price_fen, "leader_price_fen": activity.leader_price_fen,
            "group_size": activity.group_size, "time_limit_hours": activity.time_limit_hours,
            "new_shoppers_only": activity.new_shoppers_only, "ends_at": beijing_iso(activity.ends_at),
            "start_ref": str(activity.id),
            "forming": [group_out(group, members[group.id], viewer_id) for group in groups]}


@bp.get("/group-activities")
@documented(summary="The group buys running now, each with the groups forming to join", response=GroupActivitiesOut,
            auth=True, tags=TAGS)
@login_required
def group_activity_list():
    viewer = current_user().id
    return jsonify({"items": [_activity_out(activity, viewer) for activity in group_queries.live_activities()]})


@bp.get("/products/<int:product_id>/group-activities")
@documented(summary="A product's group buys running now (what its page offers: start one, or join a forming group)",
            response=GroupActivitiesOut, auth=True, tags=TAGS)
@login_required
def product_group_activities(product_id: int):
    viewer = current_user().id
    return jsonify({"items": [_activity_out(activity, viewer)
                              for activity in group_queries.live_activities(product_id)]})


@bp.get("/groups/<int:group_id>")
@documented(summary="A group: its members, the seats left and the countdown (404 when it does not exist)",
            response=GroupOut, auth=True, tags=TAGS)
@login_required
def group_detail(group_id: int):
    group = db.session.get(GroupBuyGroup, group_id)
    if group is None:
        raise NotFound(_("The group does not exist."), code="group_not_found")
    return jsonify(group_out(group, group_queries.seated([group.id])[group.id], current_user().id))


@bp.get("/groups/mine")
@documented(summary="My groups, newest first", response=Page[MyGroupOut], auth=True, tags=TAGS)
@login_required
@use_query(PageQuery)
def my_group_list(query: PageQuery):
    viewer = current_user().id
    page = paginate(group_queries.my_groups(viewer), query, lambda member: member)
    members = group_queries.seated([member.group_id for member in page["items"]])
    page["items"] = [{"group": group_out(member.group, members[member.group_id], viewer),
                      "activity_name": member.group.activity.name, "order_id": member.order_id,
                      "member_status": member.status, "member_status_label": label(member.status, "MemberStatus")}
                     for member in page["items"]]
    return jsonify(page)
