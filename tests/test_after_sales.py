"""Shoppers ask for refunds: what they may claim, how much by default, and only on their own orders."""

from __future__ import annotations

from datetime import timedelta

import pytest

from app.accounts.services import token_for
from app.core.models import utcnow
from app.extensions import db
from app.orders.models import AfterSale, OrderItem, OrderLog
from app.shop.services import shop_settings
from tests import factories


def auth(user) -> dict[str, str]:
    return {"Authorization": f"Bearer {token_for(user)}"}


def bought(status: str = "paid", *, quantity: int = 3, price_fen: int = 1000, discount_fen: int = 0,
           pay_method: str = "balance", freight_fen: int = 0, user=None, **fields):
    """A shopper and an order of theirs (one item of `quantity` units) in `status`."""
    user = user or factories.shopper()
    product = factories.product(factories.category(), price_fen=price_fen, stock=50)
    if status == "completed":
        fields.setdefault("completed_at", utcnow())
    order = factories.order(user, [(product.skus[0], quantity)], status=status, pay_method=pay_method,
                            discount_fen=discount_fen, freight_fen=freight_fen, **fields)
    return user, order


def ask(client, user, item_id: int, kind: str = "refund_only", quantity: int = 1, **extra):
    body = {"order_item_id": item_id, "kind": kind, "quantity": quantity, "reason": "不想要了", **extra}
    return client.post("/api/v1/after-sales", json=body, headers=auth(user))


def item_of(order) -> OrderItem:
    db.session.rollback()
    return db.session.get(OrderItem, order.items[0].id)


def test_a_request_claims_the_units_share_of_what_was_paid(client):
    user, order = bought(quantity=3, price_fen=1000, discount_fen=100)  # paid 2900 for 3 units
    response = ask(client, user, order.items[0].id, quantity=1)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["amount_fen"] == 966 and body["status"] == "requested" and body["status_label"]
    assert body["order_no"] == order.order_no and body["can_cancel"] is True
    item = item_of(order)
    assert (item.claimed_fen, item.claimed_quantity, item.refunded_fen) == (966, 1, 0)
    assert db.session.query(OrderLog).filter_by(order_id=order.id, action="after_sale_requested").count() == 1


def test_partial_requests_add_up_exactly_to_what_was_paid(client):
    user, order = bought(quantity=3, price_fen=1000, discount_fen=100)
    amounts = [ask(client, user, order.items[0].id, quantity=1).get_json()["amount_fen"] for _ in range(3)]
    assert amounts == [966, 966, 968] and sum(amounts) == 2900
    refused = ask(client, user, order.items[0].id, quantity=1)
    assert refused.status_code == 409 and refused.get_json()["error"]["fields"]["quantity"]


def test_an_amount_beyond_what_is_left_is_refused_with_the_maximum(client):
    user, order = bought(quantity=2, price_fen=1000)
    assert ask(client, user, order.items[0].id, quantity=1, amount_fen=1500).status_code == 201
    refused = ask(client, user, order.items[0].id, quantity=1, amount_fen=501)
    assert refused.status_code == 409
    error = refused.get_json()["error"]
    assert error["code"] == "after_sale_exceeds_item" and "5.00" in error["fields"]["amount_fen"]
    assert item_of(order).claimed_fen == 1500
    assert ask(client, user, order.items[0].id, quantity=1, amount_fen=500).status_code == 201


def test_return_and_refund_is_only_for_shipped_units(client):
    user, order = bought("paid")
    refused = ask(client, user, order.items[0].id, kind="return_refund")
    assert refused.status_code == 409 and "quantity" in refused.get_json()["error"]["fields"]
    assert item_of(order).claimed_quantity == 0
    shipped_user, shipped = bought("shipped")
    assert ask(client, shipped_user, shipped.items[0].id, kind="return_refund").status_code == 201


@pytest.mark.parametrize("status", ["pending_payment", "cancelled", "closed"])
def test_orders_not_paid_or_over_cannot_have_after_sales(client, status):
    user, order = bought(status)
    refused = ask(client, user, order.items[0].id)
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "after_sale_not_allowed"


def test_a_completed_order_allows_after_sales_only_within_the_window(client):
    shop_settings().after_sale_days = 7
    db.session.commit()
    user, recent = bought("completed", completed_at=utcnow() - timedelta(days=6, hours=23))
    assert ask(client, user, recent.items[0].id).status_code == 201
    _user, old = bought("completed", user=user, completed_at=utcnow() - timedelta(days=7, minutes=1))
    refused = ask(client, user, old.items[0].id)
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "after_sale_expired"
    assert "7" in refused.get_json()["error"]["message"]


def test_other_reason_needs_a_description_and_bad_input_is_422(client):
    user, order = bought()
    item_id = order.items[0].id
    other = ask(client, user, item_id, reason="其他")
    assert other.status_code == 422 and "description" in other.get_json()["error"]["fields"]
    # (amount_fen 0 is well-formed: for an item paid with points; on this one it is a 409, see test_points_refunds)
    for extra in ({"kind": "swap"}, {"quantity": 0}, {"reason": "随便"}, {"amount_fen": -1}, {"amount_fen": "x"},
                  {"photos": ["/media/x.jpg"] * 10}, {"unknown": 1}):
        answer = ask(client, user, item_id, **extra)
        assert answer.status_code == 422, extra
        assert set(answer.get_json()["error"]) == {"code", "message", "fields"}
    not_ours = ask(client, user, item_id, photos=["https://evil.example/x.jpg"])
    assert not_ours.status_code == 422 and "photos.0" in not_ours.get_json()["error"]["fields"]
    assert client.post("/api/v1/after-sales", data="{", headers={**auth(user), "Content-Type": "application/json"}
                       ).status_code == 400
    assert client.post("/api/v1/after-sales", json={}).status_code == 401
    assert db.session.query(AfterSale).count() == 0


def test_another_shoppers_ids_are_not_found_everywhere(client):
    owner, order = bought("shipped")
    mine = ask(client, owner, order.items[0].id, kind="return_refund").get_json()
    stranger = factories.shopper()
    assert ask(client, stranger, order.items[0].id).status_code == 404
    for method, path, body in (("get", f"/api/v1/after-sales/{mine['id']}", None),
                               ("post", f"/api/v1/after-sales/{mine['id']}/cancel", None),
                               ("post", f"/api/v1/after-sales/{mine['id']}/return",
                                {"courier_code": "SF", "tracking_no": "SF1234567890"})):
        answer = getattr(client, method)(path, json=body, headers=auth(stranger))
        assert answer.status_code == 404 and answer.get_json()["error"]["code"] == "after_sale_not_found", path
    assert client.get("/api/v1/after-sales", headers=auth(stranger)).get_json()["total"] == 0
    assert client.get(f"/api/v1/after-sales/{mine['id']}", headers=auth(owner)).status_code == 200


def test_withdrawing_releases_the_claim_and_cannot_happen_twice(client):
    user, order = bought(quantity=1, price_fen=1000)
    mine = ask(client, user, order.items[0].id).get_json()
    withdrawn = client.post(f"/api/v1/after-sales/{mine['id']}/cancel", headers=auth(user))
    assert withdrawn.status_code == 200 and withdrawn.get_json()["status"] == "cancelled"
    assert (item_of(order).claimed_fen, item_of(order).claimed_quantity) == (0, 0)
    again = client.post(f"/api/v1/after-sales/{mine['id']}/cancel", headers=auth(user))
    assert again.status_code == 409
    assert (item_of(order).claimed_fen, item_of(order).claimed_quantity) == (0, 0)
    assert ask(client, user, order.items[0].id).get_json()["amount_fen"] == 1000


def test_return_tracking_only_once_the_return_is_approved(client):
    user, order = bought("shipped")
    mine = ask(client, user, order.items[0].id, kind="return_refund").get_json()
    early = client.post(f"/api/v1/after-sales/{mine['id']}/return", json={"courier_code": "SF",
                                                                          "tracking_no": "SF1234567890"},
                        headers=auth(user))
    assert early.status_code == 409
    bad = client.post(f"/api/v1/after-sales/{mine['id']}/return", json={"courier_code": "S F", "tracking_no": "1"},
                      headers=auth(user))
    assert bad.status_code == 422 and set(bad.get_json()["error"]["fields"]) == {"courier_code", "tracking_no"}


def test_the_list_shows_only_my_requests_filtered_by_status(client):
    user, order = bought(quantity=2)
    first = ask(client, user, order.items[0].id).get_json()
    ask(client, user, order.items[0].id)
    client.post(f"/api/v1/after-sales/{first['id']}/cancel", headers=auth(user))
    listed = client.get("/api/v1/after-sales?status=requested", headers=auth(user)).get_json()
    assert listed["total"] == 1 and listed["items"][0]["id"] != first["id"]
    assert client.get("/api/v1/after-sales", headers=auth(user)).get_json()["total"] == 2
    assert client.get("/api/v1/after-sales?status=nope", headers=auth(user)).status_code == 422
    reasons = client.get("/api/v1/after-sales/reasons").get_json()
    assert "其他" in reasons["reasons"] and reasons["max_photos"] == 9


def test_the_order_shows_what_each_item_may_still_claim(client):
    user, order = bought(quantity=3, price_fen=1000, discount_fen=100)  # paid 2900 for 3 units
    assert ask(client, user, order.items[0].id, quantity=1).status_code == 201
    detail = client.get(f"/api/v1/orders/{order.id}", headers=auth(user)).get_json()
    line = detail["items"][0]
    assert (line["paid_fen"], line["refundable_fen"], line["claimable_quantity"]) == (2900, 2900 - 966, 2)
    assert detail["pay_methods"] == []  # paid already: nothing to pay with
