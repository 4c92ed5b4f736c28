"""The order tabs' counters: moved by every real flow in the transaction that moves the order,
equal to a GROUP BY over the orders after each step, unmoved by a rollback, and rebuilt by
`flask orders recount`."""

from __future__ import annotations

import itertools
import re
from datetime import timedelta

from sqlalchemy import delete, func, select, update

from app.addresses.services import create_address
from app.audit.services import Actor
from app.core.models import utcnow
from app.extensions import db
from app.members.services import change_balance
from app.orders import fulfilment, status_counts
from app.orders.after_sales import Application, approve, request_after_sale
from app.orders.checkout import CheckoutRequest, place_order
from app.orders.closing import UNPAID_TIMEOUT, close_unpaid_order
from app.orders.models import Order, OrderStatusCount
from app.orders.oplog import SYSTEM, shopper, staff
from app.orders.payment import pay_order
from app.orders.queries import count_by_status
from tests import factories
from tests.admin_helpers import log_in, make_staff
from tests.checkout_helpers import NANSHAN

_keys = itertools.count(1)
BOSS = staff(None, "boss")


def _grouped() -> dict[str, int]:
    return dict(db.session.execute(select(Order.status, func.count()).group_by(Order.status)).all())


def _buyer():
    user = factories.shopper("小花")
    create_address(user.id, {"receiver_name": "张三", "receiver_phone": "13800138000", "region_code": NANSHAN,
                             "detail": "科技园1号"}, is_default=True)
    change_balance(user.id, 1_000_000, kind="test_top_up", ref=f"t{user.id}")
    db.session.commit()
    return user


def _place(user, sku) -> Order:
    order, _new = place_order(user.id, CheckoutRequest(lines=[(sku.id, 1)]), f"count-key-{next(_keys)}")
    db.session.commit()
    return order


def _step(action) -> None:
    action()
    db.session.commit()
    assert count_by_status() == _grouped()


def test_every_flow_moves_the_counters_with_the_order(app):
    user = _buyer()
    sku = factories.product(factories.category(), stock=50).skus[0]
    orders = {name: _place(user, sku) for name in ("paid", "shipped", "completed", "cancelled", "timed_out",
                                                     "refunded", "waiting")}
    assert count_by_status() == _grouped() == {"pending_payment": 7}

    _step(lambda: pay_order(user.id, orders["paid"].id, "balance"))
    _step(lambda: pay_order(user.id, orders["shipped"].id, "balance"))
    _step(lambda: fulfilment.ship_all(orders["shipped"].id, "SF", "SF1000000001", BOSS))
    _step(lambda: pay_order(user.id, orders["completed"].id, "balance"))
    _step(lambda: fulfilment.ship_all(orders["completed"].id, "SF", "SF1000000002", BOSS))
    _step(lambda: fulfilment.confirm_receipt(orders["completed"].id, shopper(user.id)))
    _step(lambda: close_unpaid_order(orders["cancelled"].id, shopper(user.id), "shopper"))

    def time_out():
        orders["timed_out"].pay_deadline = utcnow() - timedelta(seconds=1)
        close_unpaid_order(orders["timed_out"].id, SYSTEM, UNPAID_TIMEOUT)

    _step(time_out)
    _step(lambda: pay_order(user.id, orders["refunded"].id, "balance"))

    def refund_everything():
        item = db.session.get(Order, orders["refunded"].id).items[0]
        row = request_after_sale(user.id, Application(order_item_id=item.id, kind="refund_only", quantity=1,
                                                      reason="不想要了"))
        approve(Actor(None, "127.0.0.1"), BOSS, row.id)

    _step(refund_everything)
    assert db.session.get(Order, orders["refunded"].id).status == "closed"
    assert count_by_status() == {"pending_payment": 1, "paid": 1, "shipped": 1, "completed": 1, "cancelled": 1,
                                 "closed": 2}


def test_a_rolled_back_change_takes_its_count_back(app):
    user = _buyer()
    sku = factories.product(factories.category(), stock=5).skus[0]
    order = _place(user, sku)
    pay_order(user.id, order.id, "balance")
    _place_uncommitted = place_order(user.id, CheckoutRequest(lines=[(sku.id, 1)]), "count-key-rolled-back")
    assert count_by_status() == {"paid": 1, "pending_payment": 1}  # inside the transaction
    db.session.rollback()
    assert count_by_status() == _grouped() == {"pending_payment": 1}


def test_recount_rebuilds_the_counters_from_the_orders(app, runner):
    user = _buyer()
    sku = factories.product(factories.category(), stock=5).skus[0]
    first, second = _place(user, sku), _place(user, sku)
    pay_order(user.id, first.id, "balance")
    db.session.commit()
    # rows written around the app (a bulk load) leave the counters behind
    db.session.execute(update(Order).where(Order.id == second.id).values(status="cancelled"))
    db.session.execute(delete(OrderStatusCount).where(OrderStatusCount.status == "paid"))
    db.session.commit()
    assert count_by_status() != _grouped()

    result = runner.invoke(args=["orders", "recount"])
    assert result.exit_code == 0, result.output
    assert "paid 1" in result.output and "cancelled 1" in result.output
    assert count_by_status() == _grouped() == {"paid": 1, "cancelled": 1}
    # the rebuilt counters go on moving with the orders
    third = _place(user, sku)
    close_unpaid_order(third.id, shopper(user.id), "shopper")
    db.session.commit()
    assert count_by_status() == _grouped() == {"paid": 1, "cancelled": 2}


def test_counters_are_spread_over_shards_and_add_up(app):
    user = _buyer()
    sku = factories.product(factories.category(), stock=40).skus[0]
    for _ in range(status_counts.SHARDS + 2):
        _place(user, sku)
    rows = db.session.scalars(select(OrderStatusCount).where(OrderStatusCount.status == "pending_payment")).all()
    assert len(rows) == status_counts.SHARDS and all(row.orders >= 1 for row in rows)
    assert count_by_status() == {"pending_payment": status_counts.SHARDS + 2}


def test_a_shoppers_tabs_count_their_own_orders(app):
    from app.orders.queries import OrderFilter

    user, other = _buyer(), _buyer()
    sku = factories.product(factories.category(), stock=10).skus[0]
    mine = _place(user, sku)
    _place(other, sku)
    pay_order(user.id, mine.id, "balance")
    db.session.commit()
    assert count_by_status(OrderFilter(user_id=user.id)) == {"paid": 1}
    assert count_by_status() == {"paid": 1, "pending_payment": 1}


def test_the_console_tabs_show_the_counters(app):
    user = _buyer()
    sku = factories.product(factories.category(), stock=10).skus[0]
    orders = [_place(user, sku) for _ in range(3)]
    pay_order(user.id, orders[0].id, "balance")
    db.session.commit()
    make_staff("boss", role="owner")
    client = app.test_client()
    log_in(client, "boss")
    html = client.get("/admin/orders").get_data(as_text=True)
    assert re.search(r'data-count="paid">1<', html) and re.search(r'data-count="pending_payment">2<', html)
    assert re.search(r'全部 <span class="badge text-bg-light">3<', html)
