"""Random carts, rules, points and partial refunds: every point of the deduction is shared
to an item, the ledger and the wallet agree, a refund never gives back more than was spent,
and once every unit is refunded (or the order closes unpaid) every point spent is back —
exactly once (an item points paid in full is refunded for ¥0, its points back by units)."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from app.core.errors import Conflict
from app.extensions import db
from app.marketing.points_orders import points_of
from app.orders.closing import close_unpaid_order
from app.orders.models import Order
from tests.points_helpers import BY, holder, ledger_sum, order_points, pay, place, points, refund, rules, skus

carts = st.lists(st.tuples(st.integers(1, 20_000), st.integers(1, 3)), min_size=1, max_size=3)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rate=st.sampled_from([1, 30, 100, 1000, 7]), cap=st.integers(1, 100), cart=carts,
       held=st.integers(0, 50_000), asked=st.integers(0, 60_000), close=st.booleans(),
       refunds=st.lists(st.integers(0, 2), max_size=9), refund_all=st.booleans())
@example(rate=1, cap=100, cart=[(100, 1), (300, 2)], held=1_000, asked=1_000, close=False, refunds=[1],
         refund_all=True)  # everything paid with points: refunded for ¥0, unit by unit, every point back
@example(rate=7, cap=100, cart=[(999, 3), (1, 1)], held=50_000, asked=60_000, close=False, refunds=[0, 1, 0],
         refund_all=True)
def test_points_are_shared_spent_and_returned_exactly_once(app, rate, cap, cart, held, asked, close, refunds,
                                                           refund_all):
    rules(points_per_yuan=rate, max_deduction_percent=cap)
    user = holder(held)
    order = place(user, [(sku, quantity) for sku, (_price, quantity) in zip(skus(*(p for p, _q in cart)), cart,
                                                                            strict=True)], points=asked)
    spent = points_of(order.discounts)
    assert spent <= min(asked, held)
    assert sum(points_of(item.discount_parts) for item in order.items) == spent
    assert points(user) == held - spent == ledger_sum(user)
    if close:
        close_unpaid_order(order.id, BY, "shopper")
        db.session.commit()
        assert points(user) == held == ledger_sum(user)
        return
    pay(order)
    left = {index: item.quantity for index, item in enumerate(order.items)}
    wanted = [index % len(order.items) for index in refunds]
    unrefundable: set[int] = set()
    if refund_all:
        wanted += [index for index, quantity in left.items() for _unit in range(quantity)]
    for index in wanted:
        if left[index] == 0 or index in unrefundable:
            continue
        try:
            refund(db.session.get(Order, order.id), index)
        except Conflict as refused:  # a unit whose share of the money is 0, with no points to give back
            assert refused.code == "after_sale_exceeds_item"
            item = order.items[index]
            assert item.paid_fen > 0 or points_of(item.discount_parts) == 0  # points paid it all: refundable
            db.session.rollback()
            unrefundable.add(index)
            continue
        left[index] -= 1
        row = order_points(order)
        assert row is None or row.returned <= row.spent
        assert points(user) == ledger_sum(user) <= held
    if not any(left.values()):
        assert points(user) == held  # every point spent came back, once
