"""A coupon follows its order: locked when placed, used when paid, released when the order closes
unpaid, returned when the whole order is refunded before shipping (if the merchant says so);
every move recorded with its order; never usable twice, even by twenty orders at once."""

from __future__ import annotations

import threading
import uuid

import pytest
import requests

from app.accounts.models import User
from app.accounts.services import token_for
from app.addresses.services import create_address
from app.audit.services import SYSTEM, Actor
from app.catalog.models import Sku
from app.core.models import utcnow
from app.extensions import db
from app.marketing.coupon_settings import save_coupon_settings
from app.orders import after_sales, fulfilment, oplog
from app.orders.after_sales import Application
from app.orders.closing import close_unpaid_order
from app.orders.models import Order
from app.shop.services import shop_settings
from tests.checkout_helpers import NANSHAN, Shopper, error_code, goods, order_count
from tests.coupon_helpers import coupon_count, fresh_coupon, fresh_template, give, moves, template
from tests.order_pay_helpers import allow, top_up

BOSS = Actor(None, "127.0.0.1")


def _buy_with_coupon(client, *, price_fen: int = 10_000, quantity: int = 1, **template_fields):
    shopper = Shopper(client)
    shopper.add_address()
    sku = goods(price_fen=price_fen, stock=20).skus[0]
    coupon = give(shopper.id, template(kind="amount_off", amount_fen=1000, threshold_fen=5000, **template_fields))
    answer = shopper.place([(sku, quantity)], coupon_id=coupon.id)
    assert answer.status_code == 201, answer.get_json()
    return shopper, coupon, answer.get_json()


def _pay(client, shopper: Shopper, order: dict) -> None:
    allow(pay_balance=True)
    top_up(db.session.get(User, shopper.id), order["payable_fen"])
    answer = shopper.post(f"/orders/{order['id']}/pay", {"method": "balance"})
    assert answer.status_code == 200, answer.get_json()


def test_placing_locks_the_coupon_to_the_order_and_paying_uses_it(client):
    shopper, coupon, order = _buy_with_coupon(client)
    assert (fresh_coupon(coupon.id).status, fresh_coupon(coupon.id).order_id) == ("locked", order["id"])
    # it is no longer offered to the shopper's next order
    preview = shopper.post("/orders/preview", {"lines": [{"sku_id": order["items"][0]["sku_id"], "quantity": 1}]})
    assert preview.get_json()["coupons"] == []
    _pay(client, shopper, order)
    used = fresh_coupon(coupon.id)
    assert (used.status, used.order_id) == ("used", order["id"]) and used.used_at is not None
    assert moves(coupon.id) == [("claimed", None), ("locked", order["id"]), ("used", order["id"])]
    assert fresh_template(coupon.template_id).used == 1


def test_an_order_closed_unpaid_releases_its_coupon_for_another_order(client):
    shopper, coupon, order = _buy_with_coupon(client)
    close_unpaid_order(order["id"], oplog.shopper(shopper.id), "shopper")
    db.session.commit()
    released = fresh_coupon(coupon.id)
    assert (released.status, released.order_id) == ("unused", None)
    assert moves(coupon.id)[-1] == ("released", order["id"])
    again = shopper.place([(db.session.get(Sku, order["items"][0]["sku_id"]), 1)], coupon_id=coupon.id)
    assert again.status_code == 201 and again.get_json()["discount_fen"] == 1000


def test_an_order_closed_unpaid_after_the_coupon_ran_out_expires_it(client):
    shopper, coupon, order = _buy_with_coupon(client)
    row = fresh_coupon(coupon.id)
    row.valid_until = utcnow()
    db.session.commit()
    close_unpaid_order(order["id"], oplog.shopper(shopper.id), "shopper")
    db.session.commit()
    assert fresh_coupon(coupon.id).status == "expired"
    assert moves(coupon.id)[-2:] == [("released", order["id"]), ("expired", order["id"])]
    assert fresh_template(coupon.template_id).expired == 1


def _refund_everything(order_id: int) -> None:
    order = db.session.get(Order, order_id)
    for item in order.items:
        row = after_sales.request_after_sale(order.user_id, Application(
            order_item_id=item.id, kind="refund_only", quantity=item.quantity, reason="不想要了"))
        db.session.commit()
        after_sales.approve(BOSS, oplog.staff(None, "boss"), row.id, "")
        db.session.commit()


@pytest.mark.parametrize("returns", [True, False])
def test_a_full_refund_before_shipping_returns_the_coupon_when_the_merchant_says_so(client, returns):
    save_coupon_settings(SYSTEM, {"return_on_full_refund": returns})
    db.session.commit()
    shopper, coupon, order = _buy_with_coupon(client)
    _pay(client, shopper, order)
    _refund_everything(order["id"])
    after = fresh_coupon(coupon.id)
    if returns:
        assert (after.status, after.order_id) == ("unused", None)
        assert moves(coupon.id)[-1] == ("returned", order["id"])
        assert fresh_template(coupon.template_id).used == 0
    else:
        assert (after.status, after.order_id) == ("used", order["id"])
        assert fresh_template(coupon.template_id).used == 1


def test_a_partial_refund_keeps_the_coupon_used(client):
    shopper, coupon, order = _buy_with_coupon(client, price_fen=5000, quantity=2)
    _pay(client, shopper, order)
    row = after_sales.request_after_sale(shopper.id, Application(
        order_item_id=order["items"][0]["id"], kind="refund_only", quantity=1, reason="不想要了"))
    db.session.commit()
    after_sales.approve(BOSS, oplog.staff(None, "boss"), row.id, "")
    db.session.commit()
    assert fresh_coupon(coupon.id).status == "used"


def test_an_order_paying_enough_earns_the_gift_at_completion_taken_back_on_refund(client):
    gift = template(kind="no_threshold", amount_fen=500, name="满额赠券")
    save_coupon_settings(SYSTEM, {"order_gift_threshold_fen": 8000, "order_gift_template_id": gift.id})
    db.session.commit()
    shopper, _coupon, order = _buy_with_coupon(client)  # pays 90.00
    _pay(client, shopper, order)
    fulfilment.ship_all(order["id"], "SF", "SF1000000001", oplog.staff(None, "boss"))
    db.session.commit()
    fulfilment.confirm_receipt(order["id"], oplog.shopper(shopper.id))
    db.session.commit()
    assert coupon_count(template_id=gift.id, user_id=shopper.id, status="unused") == 1
    assert coupon_count(template_id=gift.id) == 1  # once
    # a refund that brings the order below the threshold takes the unused gift back
    after = after_sales.request_after_sale(shopper.id, Application(
        order_item_id=order["items"][0]["id"], kind="refund_only", quantity=1, reason="不想要了"))
    db.session.commit()
    after_sales.approve(BOSS, oplog.staff(None, "boss"), after.id, "")
    db.session.commit()
    assert coupon_count(template_id=gift.id, status="revoked") == 1


def test_twenty_concurrent_orders_using_one_coupon_make_exactly_one_order(live_app, live_server):
    if db.engine.dialect.name == "sqlite":
        pytest.skip("SQLite has no row locks to race on; MariaDB runs this")
    # given one shopper, one coupon and twenty checkouts at the same moment
    user = User(mp_openid=f"dev_coupon_{uuid.uuid4().hex[:6]}", nickname="抢券", is_test=True)
    db.session.add(user)
    db.session.flush()
    create_address(user.id, {"receiver_name": "张三", "receiver_phone": "13800138000", "region_code": NANSHAN,
                             "detail": "科技园南区1号"})
    headers = {"Authorization": f"Bearer {token_for(user)}"}
    shop_settings()  # the settings row exists before the race, as in a running shop
    db.session.commit()
    sku = goods(price_fen=10_000, stock=100).skus[0]
    coupon = give(user.id, template(kind="amount_off", amount_fen=1000, threshold_fen=5000))
    body = {"lines": [{"sku_id": sku.id, "quantity": 1}], "coupon_id": coupon.id}  # read here, not in the threads
    barrier = threading.Barrier(20)
    answers: list = [None] * 20

    def buy(index: int) -> None:
        barrier.wait()
        try:
                answers[index] = requests.post(f"{live_server.url}/api/v1/orders", headers=headers, timeout=120,
                                           json={**body, "idempotency_key": uuid.uuid4().hex})
        except requests.RequestException as exc:
            answers[index] = exc

    threads = [threading.Thread(target=buy, args=(index,)) for index in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    statuses = [getattr(answer, "status_code", repr(answer)) for answer in answers]
    # then exactly one order has it; every other was refused with the reason; nothing else written
    assert statuses.count(201) == 1, statuses
    assert {answer.json()["error"]["code"] for answer in answers if answer.status_code != 201} == {"coupon_unusable"}
    db.session.rollback()
    assert order_count() == 1
    locked = fresh_coupon(coupon.id)
    winner = next(answer.json() for answer in answers if answer.status_code == 201)
    assert (locked.status, locked.order_id) == ("locked", winner["id"])
    assert [kind for kind, _order in moves(coupon.id)] == ["claimed", "locked"]


def test_a_coupon_taken_by_another_order_refuses_the_second_order(client):
    shopper, coupon, order = _buy_with_coupon(client)
    again = shopper.place([(db.session.get(Sku, order["items"][0]["sku_id"]), 1)], coupon_id=coupon.id)
    assert again.status_code == 409 and error_code(again) == "coupon_unusable"
    assert order_count() == 1
