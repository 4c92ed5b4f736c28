"""Group buy through the shopper's own checkout: `POST /orders` with the group-buy activity
starts a group at the group price (the leader's price when there is one), paying opens it;
friends join the group by its reference, paying takes their seats; a full group refuses the
next order before anything is reserved; the group price is the order's discount."""

from __future__ import annotations

import uuid

from app.accounts.models import User
from app.extensions import db
from app.marketing.group_models import GroupBuyGroup, GroupBuyMember
from app.orders.models import Order
from tests.checkout_helpers import Shopper, error_code, stock_of
from tests.group_helpers import activity, goods
from tests.order_pay_helpers import allow, top_up


def _buyer(client) -> Shopper:
    shopper = Shopper(client)
    shopper.add_address()
    top_up(db.session.get(User, shopper.id), 100_000)
    return shopper


def _order(shopper: Shopper, sku, ref: str):
    return shopper.post("/orders", {"idempotency_key": uuid.uuid4().hex, "lines": [{"sku_id": sku.id, "quantity": 1}],
                                    "activity": {"kind": "group_buy", "ref": ref}})


def _pay(shopper: Shopper, order_id: int) -> None:
    answer = shopper.post(f"/orders/{order_id}/pay", {"method": "balance"})
    assert answer.status_code == 200, answer.get_json()


def test_a_leader_starts_a_group_and_friends_join_it_through_checkout(app, client):
    allow(pay_balance=True)
    sku = goods(price_fen=5000, stock=10)
    act = activity(sku, size=2, group_price_fen=3900, leader_price_fen=3500)
    leader, friend, late = _buyer(client), _buyer(client), _buyer(client)

    started = _order(leader, sku, str(act.id))
    assert started.status_code == 201, started.get_json()
    body = started.get_json()
    group_part = [part for part in body["items"][0]["discount_parts"] if part["kind"] == "group_buy"]
    assert [part["amount_fen"] for part in group_part] == [1500]  # 50.00 − the leader's 35.00
    order = db.session.get(Order, body["id"])
    assert (order.activity_kind, order.activity_id, order.activity_ref) == ("group_buy", act.id, str(act.id))
    assert db.session.query(GroupBuyGroup).count() == 0  # an unpaid order holds no seat
    _pay(leader, body["id"])
    group = db.session.query(GroupBuyGroup).one()
    assert (group.status, group.joined) == ("forming", 1)

    joined = _order(friend, sku, f"{act.id}:{group.id}")
    assert joined.status_code == 201, joined.get_json()
    assert [part["amount_fen"] for part in joined.get_json()["items"][0]["discount_parts"]
            if part["kind"] == "group_buy"] == [1100]  # 50.00 − the group price 39.00
    _pay(friend, joined.get_json()["id"])
    db.session.expire_all()
    group = db.session.get(GroupBuyGroup, group.id)
    assert (group.status, group.joined) == ("succeeded", 2)
    assert sorted(member.user_id for member in db.session.query(GroupBuyMember)) == sorted([leader.id, friend.id])

    refused = _order(late, sku, f"{act.id}:{group.id}")
    assert refused.status_code == 409 and error_code(refused) in {"group_full", "group_ended"}
    assert stock_of(sku) == 8  # the refused order reserved nothing


def test_the_storefront_shows_forming_groups_to_join_and_my_groups(app, client):
    allow(pay_balance=True)
    sku = goods(price_fen=5000, stock=10)
    act = activity(sku, size=3, group_price_fen=3900)
    leader, friend, visitor = _buyer(client), _buyer(client), _buyer(client)
    db.session.get(User, leader.id).nickname = "团长阿花"
    db.session.commit()
    _pay(leader, _order(leader, sku, str(act.id)).get_json()["id"])
    group = db.session.query(GroupBuyGroup).one()

    offered = visitor.get(f"/products/{sku.product_id}/group-activities").get_json()["items"]
    assert [(entry["id"], entry["group_price_fen"], entry["start_ref"]) for entry in offered] == [
        (act.id, 3900, str(act.id))]
    forming = offered[0]["forming"]
    assert [(entry["ref"], entry["seats_left"], entry["can_join"]) for entry in forming] == [
        (f"{act.id}:{group.id}", 2, True)]
    assert [(member["nickname"], member["is_leader"]) for member in forming[0]["members"]] == [("团长阿花", True)]
    assert visitor.get(f"/products/{sku.product_id + 999}/group-activities").get_json()["items"] == []

    _pay(friend, _order(friend, sku, forming[0]["ref"]).get_json()["id"])
    seen = friend.get(f"/groups/{group.id}").get_json()
    assert (seen["joined"], seen["seats_left"], seen["i_am_in"], seen["can_join"], seen["status_label"]) == (
        2, 1, True, False, "拼团中")
    assert visitor.get(f"/groups/{group.id}").get_json()["can_join"] is True
    missing = visitor.get("/groups/999999")
    assert missing.status_code == 404 and error_code(missing) == "group_not_found"

    mine = friend.get("/groups/mine").get_json()
    assert [(entry["group"]["id"], entry["member_status_label"]) for entry in mine["items"]] == [(group.id, "已参团")]
    assert visitor.get("/groups/mine").get_json()["items"] == []
