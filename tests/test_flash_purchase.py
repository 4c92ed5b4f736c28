"""Buying a flash sale item: the gate first, then the normal checkout. An order at the flash
price with the cut as its discount, the set-aside units counted (never the SKU's stock), the
shopper's limit and the stock refused with their codes, a retried tap answered with its order,
an order closed unpaid giving its units back to the database and the gate, a paid one settled,
a lost gate refilled from the database, and racing taps never selling a unit twice."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.accounts.models import User
from app.core.china_time import to_beijing
from app.core.models import utcnow
from app.extensions import db, redis_client
from app.marketing.flash_gates import gate_for
from app.marketing.flash_models import FlashItem
from app.marketing.flash_offers import offer_for
from app.marketing.flash_purchase import buy
from app.orders.closing import UNPAID_TIMEOUT, close_unpaid_order
from app.orders.models import Order
from app.orders.oplog import SYSTEM
from tests.checkout_helpers import Shopper, error_code, goods, stock_of
from tests.flash_helpers import sale, session
from tests.order_pay_helpers import allow, top_up


def _live_sale(stock: int = 3, **settings):
    """A sale of one SKU (¥50.00 on the shelf, ¥19.90 in the sale) in a session on now."""
    minute = to_beijing(utcnow()).hour * 60 + to_beijing(utcnow()).minute
    start = max(0, minute - 30)
    live = session(name="现在场", start=f"{start // 60:02d}:{start % 60:02d}", minutes=min(120, 1440 - start))
    sku = goods(price_fen=5000, stock=20).skus[0]
    activity = sale([(sku, 1990, stock)], [live], **settings)
    return sku, activity.items[0].id


def _buyer(client) -> Shopper:
    shopper = Shopper(client)
    shopper.add_address()
    return shopper


def _buy(shopper: Shopper, item_id: int, key: str | None = None, **body):
    return shopper.post(f"/flash-sales/items/{item_id}/buy",
                        {"idempotency_key": key or uuid.uuid4().hex, "quantity": 1, **body})


def _gate(item_id: int):
    offer = offer_for(item_id)
    return gate_for(offer.item, offer.occurrence)


def _sold(item_id: int) -> int:
    db.session.expire_all()
    return db.session.get(FlashItem, item_id).sold


def test_a_tap_buys_at_the_flash_price_from_the_set_aside_units(app, client):
    sku, item_id = _live_sale(stock=3)
    before = stock_of(sku)  # 20 − 3 set aside
    amy = _buyer(client)
    answer = _buy(amy, item_id)
    assert answer.status_code == 201, answer.get_json()
    order = answer.get_json()
    parts = order["items"][0]["discount_parts"]
    assert [(part["kind"], part["amount_fen"]) for part in parts] == [("flash_sale", 3010)]
    assert order["items"][0]["paid_fen"] == 1990 and order["activity_kind"] == "flash_sale"
    assert stock_of(sku) == before == 17  # the order took none of the shelf's stock
    assert _sold(item_id) == 1 and _gate(item_id).snapshot().left == 2
    # a retried tap answers the same order and holds nothing more
    again = _buy(amy, item_id, key=db.session.get(Order, order["id"]).idempotency_key)
    assert again.status_code == 200 and again.get_json()["id"] == order["id"]
    assert _sold(item_id) == 1 and _gate(item_id).snapshot().left == 2


def test_the_limit_and_the_stock_are_refused_with_their_codes(app, client):
    _sku, item_id = _live_sale(stock=2, limit_per_session=1)
    amy, bob, cat = _buyer(client), _buyer(client), _buyer(client)
    assert _buy(amy, item_id).status_code == 201
    over = _buy(amy, item_id)
    assert over.status_code == 409 and error_code(over) == "flash_over_limit"
    assert _buy(bob, item_id).status_code == 201
    gone = _buy(cat, item_id)
    assert gone.status_code == 409 and error_code(gone) == "flash_sold_out"
    assert _sold(item_id) == 2 and db.session.scalar(select(func.count()).select_from(Order)) == 2


def test_an_order_refused_after_the_gate_gives_the_units_back(app, client):
    _sku, item_id = _live_sale(stock=2)
    homeless = Shopper(client)  # no delivery address: checkout refuses after the gate took a unit
    answer = _buy(homeless, item_id)
    assert answer.status_code == 422 and error_code(answer) == "address_required"
    snapshot = _gate(item_id).snapshot()
    assert (snapshot.left, snapshot.holds) == (2, []) and _sold(item_id) == 0


def test_closing_unpaid_gives_the_units_back_and_paying_settles_them(app, client):
    allow(pay_balance=True)
    sku, item_id = _live_sale(stock=2, limit_per_session=1)
    shelf = stock_of(sku)
    amy, bob = _buyer(client), _buyer(client)
    unpaid = _buy(amy, item_id).get_json()
    order = db.session.get(Order, unpaid["id"])
    order.pay_deadline = utcnow() - timedelta(seconds=1)
    db.session.commit()
    close_unpaid_order(order.id, SYSTEM, UNPAID_TIMEOUT)
    db.session.commit()
    assert _sold(item_id) == 0 and stock_of(sku) == shelf  # back to the sale, not to the shelf
    snapshot = _gate(item_id).snapshot()
    assert (snapshot.left, snapshot.holds) == (2, [])
    assert _buy(amy, item_id).status_code == 201  # her limit is free again
    top_up(db.session.get(User, bob.id), 10_000)
    paid = _buy(bob, item_id).get_json()
    assert bob.post(f"/orders/{paid['id']}/pay", {"method": "balance"}).status_code == 200
    holds = {hold.user_id for hold in _gate(item_id).snapshot().holds}
    assert holds == {amy.id}  # bob's hold settled: sold for good; amy's order still waits


def test_a_lost_gate_is_refilled_from_the_database(app, client):
    _sku, item_id = _live_sale(stock=2, limit_per_session=1)
    amy, bob, cat = _buyer(client), _buyer(client), _buyer(client)
    assert _buy(amy, item_id).status_code == 201
    gate = _gate(item_id)
    redis_client.delete(gate.left_key, *gate.counter_keys, gate.holds_key)  # Redis restarted empty
    assert error_code(_buy(amy, item_id)) == "flash_over_limit"  # her unit came back from the database
    assert _buy(bob, item_id).status_code == 201
    assert error_code(_buy(cat, item_id)) == "flash_sold_out"
    assert _sold(item_id) == 2


def test_the_generic_checkout_refuses_flash_items(app, client):
    sku, item_id = _live_sale()
    amy = _buyer(client)
    answer = amy.post("/orders", {"idempotency_key": uuid.uuid4().hex, "lines": [{"sku_id": sku.id, "quantity": 1}],
                                  "activity": {"kind": "flash_sale", "ref": f"{item_id}@session:1:2026-12-08"}})
    assert answer.status_code == 422 and error_code(answer) == "flash_buy_here"


def test_racing_taps_sell_each_unit_once(app, backend):
    if backend.name != "mariadb":
        pytest.skip("threads racing on Redis and row locks (the MariaDB + Redis run)")
    from app.addresses.services import create_address
    from app.orders.checkout import CheckoutRequest
    from app.shop.services import shop_settings
    from tests import factories

    _sku, item_id = _live_sale(stock=10, limit_per_session=1)
    shoppers = [factories.shopper().id for _ in range(30)]
    for user_id in shoppers:
        create_address(user_id, {"receiver_name": "张三", "receiver_phone": "13800138000", "region_code": "440305",
                                 "detail": "科技园 1 号"}, is_default=True)
    shop_settings()  # the shop's settings row exists before the taps, as in a running shop
    db.session.commit()
    outcomes: list[str] = []
    lock = threading.Lock()

    def tap(user_id: int) -> None:
        with app.app_context():
            try:
                buy(user_id, item_id, 1, CheckoutRequest(), uuid.uuid4().hex)
                db.session.commit()
                outcome = "ok"
            except Exception as refused:
                db.session.rollback()
                outcome = getattr(refused, "code", type(refused).__name__)
            finally:
                db.session.remove()
            with lock:
                outcomes.append(outcome)

    threads = [threading.Thread(target=tap, args=(user_id,)) for user_id in shoppers for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.session.rollback()
    assert outcomes.count("ok") == 10, outcomes
    assert set(outcomes) <= {"ok", "flash_sold_out", "flash_over_limit"}
    orders = db.session.execute(select(Order.user_id, func.count()).where(Order.activity_kind == "flash_sale")
                                .group_by(Order.user_id)).all()
    assert len(orders) == 10 and max(count for _user, count in orders) == 1
    assert _sold(item_id) == 10 and _gate(item_id).snapshot().left == 0


def test_the_storefront_lists_todays_sessions_and_the_live_ones_items(app, client):
    sku, item_id = _live_sale(stock=4)
    amy = _buyer(client)
    assert _buy(amy, item_id).status_code == 201
    today = client.get("/api/v1/flash-sales/today").get_json()
    assert today["shown"]["name"] == "现在场" and today["shown"]["phase"] == "now"
    assert today["shown"]["phase_label"] == "抢购中"
    assert [(entry["name"], entry["phase"]) for entry in today["sessions"]] == [("现在场", "now")]
    assert [(entry["id"], entry["sku_id"], entry["flash_price_fen"], entry["price_fen"], entry["sold_percent"],
             entry["sold_out"]) for entry in today["items"]] == [(item_id, sku.id, 1990, 5000, 25, False)]
    assert today["server_time"].endswith("+08:00")
    unknown = client.get("/api/v1/flash-sales/today?session_id=999999").get_json()
    assert unknown["shown"]["name"] == "现在场"  # not one of today's: the one on now
    bad = client.get("/api/v1/flash-sales/today?session_id=abc")
    assert bad.status_code == 422 and error_code(bad) == "validation_failed"


def test_the_minute_job_gives_back_a_hold_no_order_carries(app, client):
    import time

    from app.marketing import jobs
    from app.marketing.flash_gates import gate_limits

    _sku, item_id = _live_sale(stock=3, limit_per_session=1)
    amy, bob = _buyer(client), _buyer(client)
    waiting = _buy(amy, item_id)
    assert waiting.status_code == 201
    offer = offer_for(item_id)
    gate = gate_for(offer.item, offer.occurrence)
    # bob's tap took a unit two minutes ago, and its worker died before the order was written
    two_minutes_ago = int((time.time() - 120) * 1000)
    assert gate.take(bob.id, 1, f"{bob.id}:lost-tap", gate_limits(offer.item, offer.occurrence),
                     now_ms=two_minutes_ago) == 1
    assert jobs.reconcile_flash_gates() >= 1
    snapshot = _gate(item_id).snapshot()
    assert snapshot.left == 2 and [hold.user_id for hold in snapshot.holds] == [amy.id]
    assert jobs.reconcile_flash_gates() == 0  # agreed: a second run repairs nothing
    assert _buy(bob, item_id).status_code == 201  # his limit is free again
