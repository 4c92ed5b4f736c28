"""The shopper's side: parcels with their trace, and confirming receipt."""

from __future__ import annotations

from app.accounts.models import User
from app.extensions import db
from app.orders import fulfilment, oplog
from app.orders.models import Order
from tests import factories


def _order_of(name: str, *, status: str = "paid", quantities=(2, 1)) -> Order:
    user = db.session.query(User).filter_by(nickname=name).one()
    product = factories.product(factories.category(), "保温杯", skus=len(quantities))
    return factories.order(user, list(zip(product.skus, quantities, strict=True)), status=status)


def test_the_shopper_sees_each_parcel_with_its_lines_and_trace(app, client, login):
    alice = login("alice")
    order = _order_of("alice")
    first, second = order.items
    fulfilment.ship(order.id, [
        {"courier_code": "SF", "tracking_no": "SF1400000001", "lines": [{"order_item_id": first.id, "quantity": 2}]},
        {"courier_code": "JTSDEXPRESS", "tracking_no": "JT0000000001",
         "lines": [{"order_item_id": second.id, "quantity": 1}]},
    ], oplog.staff(None, "clerk"))
    db.session.commit()
    response = client.get(f"/api/v1/orders/{order.id}/tracking", headers=alice)
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "shipped" and body["status_label"] == "已发货"
    assert [(p["courier_name"], p["tracking_no"]) for p in body["parcels"]] == [
        ("顺丰速运", "SF1400000001"), ("极兔速递", "JT0000000001")]
    assert body["parcels"][0]["lines"] == [{"order_item_id": first.id, "title": "保温杯", "spec_text": "款1",
                                            "quantity": 2}]
    trace = body["parcels"][0]["trace"]
    assert trace["state"] == "no_info" and trace["state_label"] == "暂无物流信息" and trace["events"] == []
    assert body["parcels"][0]["shipped_at"].endswith("+08:00")


def test_the_shopper_confirms_receipt(app, client, login):
    alice = login("alice")
    order = _order_of("alice", status="shipped")
    response = client.post(f"/api/v1/orders/{order.id}/receive", headers=alice)
    assert response.status_code == 200
    assert response.get_json()["status"] == "completed" and response.get_json()["completed_at"]
    db.session.expire_all()
    assert db.session.get(Order, order.id).status == "completed"
    assert client.post(f"/api/v1/orders/{order.id}/receive", headers=alice).status_code == 200  # again: no change


def test_an_order_not_shipped_cannot_be_received(app, client, login):
    alice = login("alice")
    order = _order_of("alice", status="paid")
    response = client.post(f"/api/v1/orders/{order.id}/receive", headers=alice)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "order_not_shipped"
    assert response.get_json()["error"]["message"] == "只有已发货的订单才能确认收货。"


def test_another_shoppers_order_is_not_found(app, client, login):
    login("alice")
    bob = login("bob")
    order = _order_of("alice", status="shipped")
    for method, path in (("get", "tracking"), ("post", "receive")):
        response = getattr(client, method)(f"/api/v1/orders/{order.id}/{path}", headers=bob)
        assert response.status_code == 404 and response.get_json()["error"]["code"] == "order_not_found"
    db.session.expire_all()
    assert db.session.get(Order, order.id).status == "shipped"
    assert client.get("/api/v1/orders/999999/tracking", headers=bob).status_code == 404


def test_logging_in_is_required(app, client):
    assert client.get("/api/v1/orders/1/tracking").status_code == 401
    assert client.post("/api/v1/orders/1/receive").status_code == 401
