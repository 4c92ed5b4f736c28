"""Property test: whatever shoppers, staff and jobs do to orders, in any order, every status
change is one the table allows, the log tells the same story, stock is conserved, no unit
ships twice and the tabs' counters equal a count of the orders (refused steps rolled back).
Random sequences with fixed seeds, through the real services."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.catalog.models import Sku
from app.core.errors import DomainError
from app.core.models import utcnow
from app.extensions import db
from app.members.services import change_balance
from app.orders import fulfilment
from app.orders.checkout import CheckoutRequest, place_order
from app.orders.closing import UNPAID_TIMEOUT, close_unpaid_order
from app.orders.models import Order, OrderItem, OrderLog
from app.orders.oplog import SYSTEM, shopper, staff
from app.orders.payment import pay_order
from app.orders.queries import count_by_status
from app.orders.states import ORDER_TRANSITIONS, OrderStatus
from app.shop.services import shop_settings
from tests import factories
from tests.checkout_helpers import NANSHAN

STOCK = 40


def _world():
    settings = shop_settings()
    settings.pay_cod = True
    settings.auto_off_shelf_when_sold_out = False
    shelf = factories.category()
    skus = [sku for _ in range(2) for sku in factories.product(shelf, skus=2, stock=STOCK).skus]
    buyer = factories.shopper()
    from app.addresses.services import create_address

    create_address(buyer.id, {"receiver_name": "张三", "receiver_phone": "13800138000", "region_code": NANSHAN,
                              "detail": "科技园1号"}, is_default=True)
    change_balance(buyer.id, 10_000_000, kind="test_top_up", ref=f"t{buyer.id}")
    db.session.commit()
    return buyer, skus


def _actions(buyer, skus, rng: random.Random, orders: list[int]):
    def place():
        lines = [(sku.id, rng.randint(1, 3)) for sku in rng.sample(skus, rng.randint(1, 3))]
        order, _new = place_order(buyer.id, CheckoutRequest(lines=lines), f"key-{rng.random()}")
        orders.append(order.id)

    def on_some_order(fn):
        def run():
            if orders:
                fn(db.session.get(Order, rng.choice(orders)))
        return run

    def ship_some(order):
        items = [item for item in order.items if fulfilment.left_to_ship(item) > 0] or order.items
        item = rng.choice(items)
        fulfilment.ship(order.id, [{"courier_code": "SF", "tracking_no": f"SF{rng.randint(10**9, 10**10)}",
                                    "lines": [{"order_item_id": item.id, "quantity": rng.randint(1, 2)}]}],
                        staff(None, "boss"))

    def time_out(order):
        order.pay_deadline = utcnow() - timedelta(seconds=1)
        close_unpaid_order(order.id, SYSTEM, UNPAID_TIMEOUT)

    def auto_receive(order):
        fulfilment.auto_receive(order.id, now=utcnow() + timedelta(days=30))

    return [
        place, place,
        on_some_order(lambda o: pay_order(buyer.id, o.id, rng.choice(["balance", "balance", "cod"]))),
        on_some_order(lambda o: close_unpaid_order(o.id, shopper(buyer.id), "shopper")),
        on_some_order(time_out),
        on_some_order(ship_some),
        on_some_order(lambda o: fulfilment.ship_all(o.id, "ZTO", f"ZT{rng.randint(10**9, 10**10)}", SYSTEM)),
        on_some_order(lambda o: fulfilment.confirm_receipt(o.id, shopper(buyer.id))),
        on_some_order(auto_receive),
    ]


def _check_invariants(skus, order_ids: list[int]) -> None:
    allowed = {(current, wanted) for current, targets in ORDER_TRANSITIONS.items() for wanted in targets}
    for order_id in order_ids:
        order = db.session.get(Order, order_id)
        moves = [(row.from_status, row.to_status) for row in db.session.scalars(
            select(OrderLog).where(OrderLog.order_id == order_id, OrderLog.from_status != "").order_by(OrderLog.id))]
        assert all(move in allowed for move in moves), moves
        path = [OrderStatus.PENDING_PAYMENT.value] + [to for _from, to in moves]
        assert all(moves[i][0] == path[i] for i in range(len(moves))), moves  # one unbroken chain
        assert order.status == path[-1]
        assert all(0 <= item.shipped_quantity <= item.quantity for item in order.items)
        if order.status in (OrderStatus.SHIPPED, OrderStatus.COMPLETED):
            assert all(item.shipped_quantity == item.quantity for item in order.items)
    held = dict(db.session.execute(
        select(OrderItem.sku_id, func.sum(OrderItem.quantity)).join(Order)
        .where(Order.status.not_in((OrderStatus.CANCELLED, OrderStatus.CLOSED))).group_by(OrderItem.sku_id)).all())
    for sku in skus:
        assert db.session.get(Sku, sku.id).stock + held.get(sku.id, 0) == STOCK, "stock not conserved"
    grouped = dict(db.session.execute(select(Order.status, func.count()).group_by(Order.status)).all())
    assert count_by_status() == grouped, "the tab counters drifted from the orders"


@pytest.mark.parametrize("seed", range(6))
def test_random_order_lifecycles_keep_every_invariant(app, seed):
    rng = random.Random(seed)
    buyer, skus = _world()
    orders: list[int] = []
    actions = _actions(buyer, skus, rng, orders)
    refused = 0
    for _step in range(60):
        try:
            rng.choice(actions)()
            db.session.commit()
        except DomainError:
            db.session.rollback()
            refused += 1
        db.session.expire_all()
        _check_invariants(skus, orders)
    statuses = {db.session.get(Order, order_id).status for order_id in orders}
    assert len(statuses) >= 2 and refused > 0  # the walk went somewhere, and wrong moves were refused
