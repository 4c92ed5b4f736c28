"""Checkouts racing over real HTTP: the last units sell exactly once, and one idempotency key
used by two requests at the same moment makes one order.

The live server answers each request in its own thread with its own session, as gunicorn's
threads would. SQLite serialises writers with a database lock rather than row locks, and a
reader upgrading to a writer gets "database is locked" at once instead of waiting, so the
fifty-buyer race runs on MariaDB only; the idempotency race runs on both.
"""

from __future__ import annotations

import threading
import uuid

import pytest
import requests

from app.accounts.models import User
from app.accounts.services import token_for
from app.addresses.services import create_address
from app.extensions import db
from app.orders.models import Order
from app.shop.services import shop_settings
from tests.checkout_helpers import NANSHAN, goods, order_count, stock_of

BUYERS = 50
UNITS = 5


def _buyers(count: int) -> list[dict[str, str]]:
    """Shoppers with an address each, as bearer headers."""
    headers = []
    for index in range(count):
        user = User(mp_openid=f"dev_race{index}_{uuid.uuid4().hex[:6]}", nickname=f"race{index}", is_test=True)
        db.session.add(user)
        db.session.flush()
        create_address(user.id, {"receiver_name": "张三", "receiver_phone": "13800138000", "region_code": NANSHAN,
                                 "detail": "科技园南区1号"})
        headers.append({"Authorization": f"Bearer {token_for(user)}"})
    shop_settings()  # the settings row exists before the race, as in a running shop
    db.session.commit()
    return headers


def _race(live_server, calls: list[tuple[dict[str, str], dict]]) -> list[requests.Response]:
    barrier = threading.Barrier(len(calls))
    answers: list[requests.Response | None] = [None] * len(calls)

    def buy(index: int, headers: dict[str, str], body: dict) -> None:
        barrier.wait()
        answers[index] = requests.post(f"{live_server.url}/api/v1/orders", json=body, headers=headers, timeout=120)

    threads = [threading.Thread(target=buy, args=(index, headers, body))
               for index, (headers, body) in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    assert all(answer is not None for answer in answers)
    return answers  # type: ignore[return-value]


def test_fifty_concurrent_checkouts_for_the_last_five_units_sell_exactly_five(live_app, live_server):
    if db.engine.dialect.name == "sqlite":
        pytest.skip("SQLite has no row locks to race on; MariaDB runs this")
    # given five units left and fifty shoppers wanting one each
    sku = goods(stock=UNITS).skus[0]
    buyers = _buyers(BUYERS)
    body = {"lines": [{"sku_id": sku.id, "quantity": 1}]}
    # when they all check out at the same moment
    answers = _race(live_server, [(headers, {**body, "idempotency_key": uuid.uuid4().hex}) for headers in buyers])
    # then exactly five orders were placed; everyone else was told it sold out (or, once the
    # shop took the sold-out product off shelf, that it is no longer on sale); nothing broke
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses.count(201) == UNITS, statuses
    refused = {(answer.status_code, answer.json()["error"]["code"]) for answer in answers
               if answer.status_code != 201}
    assert refused <= {(409, "insufficient_stock"), (422, "items_unavailable")}, refused
    db.session.rollback()
    assert order_count() == UNITS and stock_of(sku) == 0


def test_one_idempotency_key_sent_twice_at_once_makes_one_order(live_app, live_server):
    # given one shopper whose app sends the same checkout twice at the same moment
    sku = goods(stock=10).skus[0]
    headers = _buyers(1)[0]
    body = {"lines": [{"sku_id": sku.id, "quantity": 2}], "idempotency_key": "double-tap-0001"}
    # when both requests arrive together
    answers = _race(live_server, [(headers, body)] * 4)
    # then one order was made and every answer is that order; the stock was taken once
    assert sorted(answer.status_code for answer in answers) == [200, 200, 200, 201]
    assert len({answer.json()["id"] for answer in answers}) == 1
    db.session.rollback()
    assert order_count() == 1 and stock_of(sku) == 8
    assert db.session.get(Order, answers[0].json()["id"]).idempotency_key == "double-tap-0001"
