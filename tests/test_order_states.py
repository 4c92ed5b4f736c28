"""Orders and after-sales change status only along their tables, once, and with a log line."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import update

from app.extensions import db
from app.orders import oplog
from app.orders.models import Order
from app.orders.states import ORDER_STATUS_LABELS, ORDER_STATUS_MEANINGS, IllegalTransition, OrderStatus, can_move
from tests import factories

S = OrderStatus
ALLOWED = {(S.PENDING_PAYMENT, S.PAID), (S.PENDING_PAYMENT, S.CANCELLED), (S.PENDING_PAYMENT, S.CLOSED),
           (S.PAID, S.SHIPPED), (S.PAID, S.CLOSED), (S.SHIPPED, S.COMPLETED), (S.SHIPPED, S.CLOSED)}


def _order():
    sku = factories.product(factories.category()).skus[0]
    return factories.order(factories.shopper(), [(sku, 1)])


def test_no_order_transition_outside_the_table_is_possible_and_each_one_is_logged(app):
    order = _order()
    for current, wanted in itertools.product(OrderStatus, repeat=2):
        db.session.execute(update(Order).where(Order.id == order.id).values(status=current))
        db.session.refresh(order)
        allowed = (current, wanted) in ALLOWED
        assert can_move("orders", current, wanted) is allowed, (current, wanted)
        if allowed:
            assert oplog.move_order(order, wanted, oplog.SYSTEM, "test") is True and order.status == wanted
            last = oplog.timeline(order.id)[-1]
            assert (last.from_status, last.to_status, last.actor_type) == (current, wanted, "system")
        else:
            with pytest.raises(IllegalTransition):
                oplog.move_order(order, wanted, oplog.SYSTEM, "test")
            assert order.status == current
    db.session.rollback()


def test_a_move_another_transaction_made_first_is_not_made_or_logged_twice(app):
    order = _order()
    with db.engine.begin() as other:
        other.execute(update(Order).where(Order.id == order.id).values(status=S.CANCELLED))
    assert oplog.move_order(order, S.CLOSED, oplog.SYSTEM, "closed") is False
    assert order.status == S.CANCELLED and oplog.timeline(order.id) == []
    db.session.rollback()


def test_every_status_has_a_label_and_a_meaning_for_merchants():
    assert set(ORDER_STATUS_LABELS) == set(ORDER_STATUS_MEANINGS) == set(OrderStatus)
