"""Shipping in parcels, receipt (by the shopper and by itself), and the merchant's remark."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from app.core.errors import Conflict, ValidationError
from app.core.events import subscribe
from app.core.jobs import enqueue_now, job
from app.core.models import utcnow
from app.extensions import db
from app.orders import fulfilment, oplog
from app.orders.fulfilment_jobs import auto_receive_order, sweep_auto_receipts
from app.orders.models import Order, OrderItem, Parcel
from tests import factories

completed: list[int] = []


@subscribe("order.completed")
@job("default")
def record_order_completed(order_id: int) -> None:
    completed.append(order_id)


CLERK = oplog.staff(None, "clerk")


def _paid_order(quantities=(3, 2), **fields) -> Order:
    product = factories.product(factories.category(), skus=len(quantities), stock=20)
    lines = list(zip(product.skus, quantities, strict=True))
    return factories.order(factories.shopper(), lines, status=fields.pop("status", "paid"), **fields)


def _parcel(number: str, *lines: tuple[OrderItem, int], courier: str = "SF") -> dict:
    return {"courier_code": courier, "tracking_no": number,
            "lines": [{"order_item_id": item.id, "quantity": quantity} for item, quantity in lines]}


def _fresh(order_id: int) -> Order:
    db.session.commit()  # a new transaction: MariaDB's snapshot would hide other sessions' commits
    db.session.expire_all()
    return db.session.get(Order, order_id)


def test_partial_shipment_then_the_rest_moves_the_order_to_shipped_with_auto_receipt(app):
    order = _paid_order()
    first, second = order.items
    # when two units of the first item leave
    fulfilment.ship(order.id, [_parcel("SF1000000001", (first, 2))], CLERK)
    db.session.commit()
    # then the order still awaits shipment, two units counted
    order = _fresh(order.id)
    assert order.status == "paid" and order.shipped_at is None
    assert [item.shipped_quantity for item in order.items] == [2, 0]
    # when the rest leaves in two more parcels at once
    fulfilment.ship(order.id, [_parcel("SF1000000002", (first, 1)), _parcel("7700112233", (second, 2), courier="ZTO")],
                    CLERK)
    db.session.commit()
    # then the order is shipped and receives itself after the shop's 7 days
    order = _fresh(order.id)
    assert order.status == "shipped"
    assert order.auto_receive_at - order.shipped_at == timedelta(days=7)
    assert [item.shipped_quantity for item in order.items] == [3, 2]
    notes = [(entry.action, entry.note) for entry in oplog.timeline(order.id)]
    assert [action for action, _note in notes] == ["parcel_shipped", "parcel_shipped", "parcel_shipped", "shipped"]
    assert "2 件" in notes[0][1] and "2/5" not in notes[0][1] and "共 5 件" in notes[0][1]
    assert db.session.scalar(select(func.count()).select_from(Parcel).where(Parcel.order_id == order.id)) == 3


def test_ship_all_sends_everything_left_in_one_parcel(app):
    order = _paid_order()
    fulfilment.ship(order.id, [_parcel("YT0000000001", (order.items[0], 1), courier="YTO")], CLERK)
    parcel = fulfilment.ship_all(order.id, "yto", " yt 0000000002 ", CLERK)
    db.session.commit()
    assert parcel.tracking_no == "YT0000000002" and parcel.courier_name == "圆通速递"
    assert sorted((line.order_item_id, line.quantity) for line in parcel.lines) == [
        (order.items[0].id, 2), (order.items[1].id, 2)]
    assert _fresh(order.id).status == "shipped"


def test_more_units_than_ordered_are_refused_and_nothing_is_written(app):
    order = _paid_order()
    first = order.items[0]
    with pytest.raises(ValidationError) as refused:
        fulfilment.ship(order.id, [_parcel("SF2000000001", (first, 2)), _parcel("SF2000000002", (first, 2))], CLERK)
    db.session.rollback()
    assert "parcels.1.lines.0.quantity" in refused.value.fields
    assert _fresh(order.id).items[0].shipped_quantity == 0
    assert db.session.scalar(select(func.count()).select_from(Parcel)) == 0


def test_submitting_the_same_shipment_twice_ships_once(app):
    order = _paid_order((2,))
    fulfilment.ship(order.id, [_parcel("SF3000000001", (order.items[0], 2))], CLERK)
    db.session.commit()
    with pytest.raises(Conflict):  # the order is no longer awaiting shipment
        fulfilment.ship(order.id, [_parcel("SF3000000002", (order.items[0], 2))], CLERK)
    db.session.rollback()
    other = _paid_order((1,))
    with pytest.raises(ValidationError) as refused:  # a tracking number belongs to one parcel
        fulfilment.ship(other.id, [_parcel("SF3000000001", (other.items[0], 1))], CLERK)
    assert "parcels.0.tracking_no" in refused.value.fields


def test_a_stale_count_cannot_over_ship(app):
    # given a submission that read the items before another one shipped them
    order = _paid_order((2,))
    item = order.items[0]
    db.session.execute(update(OrderItem).where(OrderItem.id == item.id).values(shipped_quantity=1))
    # then the conditional update refuses what the stale read would allow
    assert fulfilment._count_shipped(item.id, 2) is False
    assert fulfilment._count_shipped(item.id, 1) is True
    db.session.rollback()


def test_two_concurrent_submissions_ship_the_units_once(app):
    order = _paid_order((3,))
    item_id = order.items[0].id
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def submit(number: str) -> None:
        with app.app_context():
            barrier.wait()
            try:
                fulfilment.ship(order.id, [{"courier_code": "SF", "tracking_no": number,
                                            "lines": [{"order_item_id": item_id, "quantity": 3}]}], CLERK)
                db.session.commit()
                outcomes.append("shipped")
            except Exception as exc:  # the loser's refusal (or SQLite's lock timeout)
                db.session.rollback()
                outcomes.append(type(exc).__name__)

    threads = [threading.Thread(target=submit, args=(f"SF40000000{index}",)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert outcomes.count("shipped") == 1, outcomes
    order = _fresh(order.id)
    assert order.items[0].shipped_quantity == 3 and order.status == "shipped"
    assert db.session.scalar(select(func.count()).select_from(Parcel)) == 1


@pytest.mark.parametrize("status", ["pending_payment", "closed", "shipped"])
def test_orders_not_awaiting_shipment_cannot_be_shipped(app, status):
    order = _paid_order((1,), status=status)
    with pytest.raises(Conflict) as refused:
        fulfilment.ship(order.id, [_parcel("SF5000000001", (order.items[0], 1))], CLERK)
    assert refused.value.code == "order_not_shippable"


def test_units_held_by_an_after_sale_are_not_shipped(app):
    order = _paid_order((3,))
    item = order.items[0]
    item.claimed_quantity = 1
    db.session.commit()
    assert fulfilment.left_to_ship(item) == 2
    with pytest.raises(ValidationError):
        fulfilment.ship(order.id, [_parcel("SF6000000001", (item, 3))], CLERK)
    db.session.rollback()
    fulfilment.ship(order.id, [_parcel("SF6000000002", (item, 2))], CLERK)
    db.session.commit()
    assert _fresh(order.id).status == "paid"  # one unit waits for the after-sale's outcome
    # when that unit is refunded, the order counts as shipped
    db.session.execute(update(OrderItem).where(OrderItem.id == item.id).values(
        refunded_quantity=1, refunded_fen=item.unit_price_fen, claimed_fen=item.unit_price_fen))
    assert fulfilment.settle_shipment(order.id) is True
    db.session.commit()
    assert _fresh(order.id).status == "shipped"


@pytest.mark.parametrize("bad, field", [
    ({"courier_code": "NOPE"}, "parcels.0.courier_code"),
    ({"tracking_no": "12345"}, "parcels.0.tracking_no"),
    ({"tracking_no": "SF-1234567"}, "parcels.0.tracking_no"),
    ({"tracking_no": "A" * 41}, "parcels.0.tracking_no"),
    ({"lines": []}, "parcels.0.lines"),
    ({"lines": [{"order_item_id": 999999, "quantity": 1}]}, "parcels.0.lines.0.order_item_id"),
    ({"lines": "x"}, "parcels.0"),
    ({"lines": ["x"]}, "parcels.0.lines.0"),
    ({"lines": [{"quantity": 0}]}, "parcels.0.lines.0.quantity"),
])
def test_bad_parcels_are_refused_field_by_field(app, bad, field):
    order = _paid_order((1,))
    parcel = {**_parcel("SF7000000001", (order.items[0], 1)), **bad}
    if bad.get("lines") and isinstance(bad["lines"][0], dict) and "order_item_id" not in bad["lines"][0]:
        parcel["lines"] = [{"order_item_id": order.items[0].id, **bad["lines"][0]}]
    with pytest.raises(ValidationError) as refused:
        fulfilment.ship(order.id, [parcel], CLERK)
    assert field in refused.value.fields


def test_confirming_receipt_completes_the_order_and_announces_it_once(app):
    completed.clear()
    order = _paid_order((1,))
    fulfilment.ship_all(order.id, "SF", "SF8000000001", CLERK)
    db.session.commit()
    fulfilment.confirm_receipt(order.id, oplog.shopper(order.user_id))
    db.session.commit()
    fulfilment.confirm_receipt(order.id, oplog.shopper(order.user_id))  # a second tap
    db.session.commit()
    order = _fresh(order.id)
    assert order.status == "completed" and order.completed_at is not None
    assert completed == [order.id]
    last = oplog.timeline(order.id)[-1]
    assert (last.action, last.actor_type, last.to_status) == ("received", "shopper", "completed")


def test_an_order_not_shipped_cannot_be_received(app):
    order = _paid_order((1,))
    with pytest.raises(Conflict):
        fulfilment.confirm_receipt(order.id, oplog.shopper(order.user_id))


def test_cash_on_delivery_is_collected_at_receipt(app):
    order = _paid_order((2,), pay_method="cod", freight_fen=800)
    assert order.paid_fen == 0
    fulfilment.ship_all(order.id, "EMS", "EA123456789CN", CLERK)
    fulfilment.confirm_receipt(order.id, CLERK)
    db.session.commit()
    order = _fresh(order.id)
    assert order.paid_fen == order.payable_fen == order.items_total_fen + 800


def test_auto_receipt_completes_due_orders_once(app):
    completed.clear()
    due, later = _paid_order((1,)), _paid_order((1,))
    for order, number in ((due, "SF9000000001"), (later, "SF9000000002")):
        fulfilment.ship_all(order.id, "SF", number, CLERK)
    db.session.execute(update(Order).where(Order.id == due.id).values(auto_receive_at=utcnow() - timedelta(minutes=1)))
    db.session.commit()
    # when the sweep runs twice (as the scheduler would, or a retry)
    enqueue_now(sweep_auto_receipts)
    enqueue_now(sweep_auto_receipts)
    assert auto_receive_order(due.id) is False  # and once more by hand
    # then only the due order is received, by the system, announced once
    assert _fresh(due.id).status == "completed" and _fresh(later.id).status == "shipped"
    assert completed == [due.id]
    entry = oplog.timeline(due.id)[-1]
    assert (entry.action, entry.actor_type) == ("auto_received", "system")


def test_the_merchant_remark_is_saved_and_logged(app):
    order = _paid_order((1,))
    fulfilment.set_merchant_remark(order.id, "  客户要求顺丰  ", oplog.staff(None, "小王"))
    fulfilment.set_merchant_remark(order.id, "客户要求顺丰", oplog.staff(None, "小王"))  # unchanged: no new line
    db.session.commit()
    assert _fresh(order.id).merchant_remark == "客户要求顺丰"
    logged = [(entry.action, entry.note, entry.actor_name) for entry in oplog.timeline(order.id)]
    assert logged == [("remarked", "客户要求顺丰", "小王")]
    with pytest.raises(ValidationError):
        fulfilment.set_merchant_remark(order.id, "长" * 501, CLERK)


def test_the_shopper_is_told_once_per_parcel(live_app, live_server):
    from app.accounts.models import User
    from app.notifications import services
    from app.notifications.seed import DEMO_TEMPLATES

    for kind, (template_id, page, fields) in DEMO_TEMPLATES.items():
        services.configure_template(kind, template_id, page=page, fields=fields)
    user = User(mp_openid="oSandboxShipped00001", nickname="小花")
    db.session.add(user)
    db.session.commit()
    product = factories.product(factories.category(), "咖啡豆", skus=2)
    order = factories.order(user, [(product.skus[0], 1), (product.skus[1], 1)], status="paid")
    fulfilment.ship(order.id, [_parcel("SF1800000001", (order.items[0], 1))], CLERK)
    db.session.commit()
    fulfilment.ship(order.id, [_parcel("SF1800000002", (order.items[1], 1))], CLERK)
    db.session.commit()
    sent = live_server.sandbox.records["subscribe"].get("sent", [])
    assert [message["touser"] for message in sent] == [user.mp_openid] * 2
    assert [message["data"]["character_string1"]["value"] for message in sent] == [order.order_no] * 2
    assert {value["value"] for message in sent for value in message["data"].values()} >= {"SF1800000001",
                                                                                             "SF1800000002"}
