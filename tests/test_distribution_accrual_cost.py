"""Accruing one paid order reads that order's lines, not the shop's: the work the database
does for it stays the same however many pending lines other orders have on the books.

Counted, not timed: SQLite's virtual-machine steps (its progress handler), MariaDB's handler
reads (rows and index entries it visited). On SQLite, without statistics, the planner once
chose the status index for "this order's pending lines" and walked every pending line in the
shop for each paid order (bench/commission.py: 13.8× the plain SQL)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import insert, text

from app.core.models import utcnow
from app.distribution import accrual, jobs
from app.distribution.commission_models import CommissionLine
from app.extensions import db
from app.orders.models import OrderItem
from tests import factories
from tests.distribution_helpers import bind, configure, referral_chain
from tests.distribution_helpers import sku as make_sku

OTHER_PENDING_LINES = 3000


def _database_work(accrue: Callable[[], None]) -> int:
    """How much the database did while `accrue` ran (same unit before and after, per backend)."""
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        steps = [0]

        def count() -> int:
            steps[0] += 1
            return 0

        raw = connection.connection.driver_connection
        raw.set_progress_handler(count, 1)
        try:
            accrue()
        finally:
            raw.set_progress_handler(None, 1)
        return steps[0]

    def reads() -> int:
        rows = connection.execute(text("SHOW SESSION STATUS LIKE 'Handler_read%'")).all()
        return sum(int(value) for _name, value in rows)

    before = reads()
    accrue()
    return reads() - before


def _pending_lines_of_another_order(buyer, sku, count: int) -> None:
    """`count` pending level-1 lines on one other paid order (one item each), written in bulk."""
    other = factories.order(buyer, [(sku, 1)], status="paid")
    now = utcnow()
    items = [{"order_id": other.id, "product_id": sku.product_id, "sku_id": sku.id, "title": "other",
              "unit_price_fen": 100, "unit_cost_fen": 0, "quantity": 1, "line_total_fen": 100, "discount_fen": 0,
              "paid_fen": 100, "created_at": now, "updated_at": now} for _ in range(count)]
    db.session.execute(insert(OrderItem), items)
    item_ids = db.session.scalars(db.select(OrderItem.id).where(OrderItem.order_id == other.id)).all()
    db.session.execute(insert(CommissionLine), [
        {"order_id": other.id, "order_item_id": item_id, "level": 1, "beneficiary_user_id": buyer.id,
         "rule": "global", "base_fen": 100, "rate_bp": 1000, "amount_fen": 10, "status": "pending",
         "reason": "", "created_at": now, "updated_at": now} for item_id in item_ids])
    db.session.commit()


def test_accruing_an_order_does_not_read_other_orders_pending_lines(app):
    # given: A ← B, shopper D under B, and one order of D's already accrued (accounts exist)
    configure(levels=2, rate1_bp=1000, rate2_bp=500)
    _a, b = referral_chain("A", "B")
    d = factories.shopper("D")
    assert bind(d, b).result == "bound"
    sku = make_sku(price_fen=10_000)
    first = factories.order(d, [(sku, 1)], status="paid")
    jobs.accrue_commissions(first.id)
    db.session.commit()
    quiet, busy = (factories.order(d, [(sku, 1)], status="paid") for _ in range(2))
    work_in_a_quiet_shop = _database_work(lambda: accrual.accrue(quiet.id))
    db.session.commit()

    # when: thousands of other pending lines are on the books and the next order is accrued
    _pending_lines_of_another_order(b, sku, OTHER_PENDING_LINES)
    work_in_a_busy_shop = _database_work(lambda: accrual.accrue(busy.id))
    db.session.commit()

    # then: the database did about the same work (walking the other lines would be thousands more)
    assert work_in_a_busy_shop < work_in_a_quiet_shop + OTHER_PENDING_LINES // 2, (
        work_in_a_quiet_shop, work_in_a_busy_shop)
