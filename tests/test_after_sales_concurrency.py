"""Requests racing for the same units: the claims never exceed what was paid, and the
default amounts of the winners still add up exactly (on SQLite and on MariaDB)."""

from __future__ import annotations

import threading

from app.core.errors import DomainError
from app.extensions import db
from app.orders import after_sales
from app.orders.after_sales import Application
from app.orders.models import AfterSale, OrderItem
from tests import factories


def _race(app, item_id: int, user_id: int, attempts: int, **fields) -> list[str]:
    outcomes: list[str] = []
    barrier = threading.Barrier(attempts)

    def attempt() -> None:
        with app.app_context():
            barrier.wait()
            try:
                after_sales.request_after_sale(user_id, Application(order_item_id=item_id, kind="refund_only",
                                                                    reason="不想要了", **fields))
                db.session.commit()
                outcomes.append("ok")
            except DomainError as exc:
                db.session.rollback()
                outcomes.append(exc.code)

    threads = [threading.Thread(target=attempt) for _ in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def _item(quantity: int, price_fen: int, discount_fen: int = 0):
    user = factories.shopper()
    product = factories.product(factories.category(), price_fen=price_fen, stock=20)
    order = factories.order(user, [(product.skus[0], quantity)], status="paid", pay_method="balance",
                            discount_fen=discount_fen)
    return user, order.items[0].id


def test_six_requests_for_three_units_claim_exactly_what_was_paid(app):
    user, item_id = _item(quantity=3, price_fen=1000, discount_fen=1)  # paid 2999
    outcomes = _race(app, item_id, user.id, 6, quantity=1)
    assert sorted(outcomes) == ["after_sale_exceeds_item"] * 3 + ["ok"] * 3
    db.session.rollback()
    item = db.session.get(OrderItem, item_id)
    amounts = sorted(row.amount_fen for row in db.session.query(AfterSale).filter_by(order_item_id=item_id))
    assert amounts == [999, 999, 1001]
    assert item.claimed_fen == item.paid_fen == 2999 and item.claimed_quantity == 3


def test_two_requests_whose_amounts_together_exceed_the_item_cannot_both_win(app):
    user, item_id = _item(quantity=2, price_fen=500)  # paid 1000
    outcomes = _race(app, item_id, user.id, 2, quantity=1, amount_fen=600)
    assert sorted(outcomes) == ["after_sale_exceeds_item", "ok"]
    db.session.rollback()
    assert db.session.get(OrderItem, item_id).claimed_fen == 600
