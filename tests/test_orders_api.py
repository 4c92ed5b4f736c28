"""The shopper's orders: list by tab with counts, detail, cancel, and only one's own."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.orders.models import Order, OrderLog
from tests.checkout_helpers import Shopper, error_code, goods, stock_of


def _orders(shopper: Shopper, statuses: list[str]) -> list[dict]:
    shopper.add_address()
    sku = goods(stock=50).skus[0]
    placed = [shopper.place([(sku, 1)]).get_json() for _ in statuses]
    for order, status in zip(placed, statuses, strict=True):
        db.session.get(Order, order["id"]).status = status
    db.session.commit()
    return placed


def test_the_list_filters_by_tab_counts_each_status_and_pages(client):
    shopper = Shopper(client)
    placed = _orders(shopper, ["pending_payment", "pending_payment", "paid", "shipped", "completed", "cancelled"])
    other = Shopper(client)  # someone else's order counts nowhere here
    other.add_address()
    assert other.place([(goods().skus[0], 1)]).status_code == 201
    everything = shopper.get("/orders").get_json()
    assert everything["total"] == 6 and [o["id"] for o in everything["items"]] == [o["id"] for o in placed[::-1]]
    assert everything["counts"] == {"all": 6, "pending_payment": 2, "paid": 1, "shipped": 1, "completed": 1}
    pending = shopper.get("/orders?status=pending_payment&size=1&page=2").get_json()
    assert (pending["total"], [o["id"] for o in pending["items"]]) == (2, [placed[0]["id"]])
    awaiting = shopper.get("/orders?status=paid").get_json()["items"]
    assert [(o["status"], o["status_label"]) for o in awaiting] == [("paid", "待发货")]
    assert awaiting[0]["items"][0]["quantity"] == 1


@pytest.mark.parametrize("query", ["status=after_sale", "page=0", "size=101", "status="])
def test_bad_list_queries_are_refused(client, query):
    answer = Shopper(client).get(f"/orders?{query}")
    assert answer.status_code == 422 and error_code(answer) == "validation_failed"


def test_the_detail_shows_the_address_snapshot_and_never_the_merchant_remark(client):
    shopper = Shopper(client)
    shopper.add_address(receiver_name="王五")
    order = shopper.place([(goods().skus[0], 1)], remark="放门口").get_json()
    row = db.session.get(Order, order["id"])
    row.merchant_remark = "老客户"
    db.session.commit()
    shopper.put(f"/addresses/{shopper.get('/addresses').get_json()['items'][0]['id']}",
                {"receiver_name": "赵六", "receiver_phone": "13900139000", "region_code": "110105",
                 "detail": "改了地址"})
    detail = shopper.get(f"/orders/{order['id']}").get_json()
    assert detail["address"]["receiver_name"] == "王五" and detail["shopper_remark"] == "放门口"
    assert "老客户" not in str(detail)
    assert detail["pay_deadline"].endswith("+08:00") and detail["pay_seconds_left"] > 0


def test_cancelling_an_unpaid_order_returns_its_stock_and_logs_the_reason(client):
    shopper = Shopper(client)
    shopper.add_address()
    sku = goods(stock=5).skus[0]
    order = shopper.place([(sku, 3)]).get_json()
    assert stock_of(sku) == 2
    answer = shopper.post(f"/orders/{order['id']}/cancel", {"reason": "不想要了"})
    assert answer.status_code == 200, answer.get_json()
    assert (answer.get_json()["status"], answer.get_json()["status_label"]) == ("cancelled", "已取消")
    assert answer.get_json()["cancelled_at"] and stock_of(sku) == 5
    row = db.session.get(Order, order["id"])
    assert row.close_reason == "shopper"
    log = db.session.scalars(select(OrderLog).where(OrderLog.order_id == row.id).order_by(OrderLog.id)).all()
    assert [(entry.action, entry.to_status, entry.note) for entry in log][-1] == ("cancelled", "cancelled", "不想要了")
    # and cancelling again changes nothing
    again = shopper.post(f"/orders/{order['id']}/cancel", {"reason": ""})
    assert again.status_code == 409 and error_code(again) == "order_not_cancellable"
    assert stock_of(sku) == 5


def test_a_paid_order_cannot_be_cancelled(client):
    shopper = Shopper(client)
    order = _orders(shopper, ["paid"])[0]
    answer = shopper.post(f"/orders/{order['id']}/cancel", {})
    assert answer.status_code == 409 and error_code(answer) == "order_not_cancellable"
    assert db.session.get(Order, order["id"]).status == "paid"


def test_a_cancel_reason_is_limited(client):
    shopper = Shopper(client)
    order = _orders(shopper, ["pending_payment"])[0]
    answer = shopper.post(f"/orders/{order['id']}/cancel", {"reason": "因" * 101})
    assert answer.status_code == 422
    assert db.session.get(Order, order["id"]).status == "pending_payment"


def test_another_shoppers_order_is_not_found_everywhere(client):
    owner, stranger = Shopper(client), Shopper(client)
    order = _orders(owner, ["pending_payment"])[0]
    for answer in (stranger.get(f"/orders/{order['id']}"), stranger.post(f"/orders/{order['id']}/cancel", {})):
        assert answer.status_code == 404 and error_code(answer) == "order_not_found"
    assert stranger.get("/orders").get_json()["total"] == 0
    assert db.session.get(Order, order["id"]).status == "pending_payment"
