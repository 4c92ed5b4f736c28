"""Small helpers for the distribution tests: a referral chain of agents, orders paid,
completed and refunded by calling the distribution jobs themselves (as RQ would), and the
lines and accounts they leave."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import pairwise

from sqlalchemy import select, update

from app.audit.services import SYSTEM
from app.core.models import utcnow
from app.distribution import agents, binding, jobs, verify
from app.distribution.commission_models import CommissionLine
from app.distribution.ledger import account_of
from app.distribution.settings import current
from app.extensions import db
from app.orders.models import Order
from tests import factories


def configure(**changes):
    row = current()
    for field, value in changes.items():
        setattr(row, field, value)
    db.session.commit()
    return row


def agent(name: str | None = None, *, level_id: int | None = None):
    user = factories.shopper(name)
    agents.appoint(SYSTEM, user.id, level_id)
    db.session.commit()
    return user


def bind(user, referrer, *, source: str = "link", now: datetime | None = None):
    outcome = binding.bind(user.id, referrer if isinstance(referrer, str) else referrer.id, source, now=now)
    db.session.commit()
    return outcome


def referral_chain(*names: str):
    """Agents bound one under the other: referral_chain("A", "B", "C") is A ← B ← C."""
    users = [agent(name) for name in names]
    for upper, lower in pairwise(users):
        assert bind(lower, upper).result == "bound"
    return users


def sku(price_fen: int = 10_000, cost_fen: int = 0, stock: int = 1000):
    row = factories.product(factories.category(), price_fen=price_fen, stock=stock).skus[0]
    row.cost_fen = cost_fen
    db.session.commit()
    return row


def paid_order(buyer, lines, **fields):
    """An order paid now, with its commission accrued as the order.paid job would."""
    order = factories.order(buyer, lines, status="paid", **fields)
    jobs.accrue_commissions(order.id)
    db.session.commit()
    return order


def complete(order, *, at: datetime | None = None):
    at = at or utcnow()
    db.session.execute(update(Order).where(Order.id == order.id).values(status="completed", completed_at=at))
    db.session.commit()
    jobs.freeze_commissions(order.id)
    db.session.commit()


def release(now: datetime):
    from app.distribution import settlement

    released = sum(settlement.release_line(line_id, now) for line_id in settlement.due_line_ids(now))
    db.session.commit()
    return released


def refund(item, amount_fen: int, quantity: int, after_sale_id: int):
    changed = jobs.take_back_commissions(item.id, amount_fen, quantity, after_sale_id)
    db.session.commit()
    return changed


def lines_of(order) -> list[CommissionLine]:
    db.session.commit()  # a new transaction: see what other sessions committed (MariaDB snapshots)
    return list(db.session.scalars(select(CommissionLine).where(CommissionLine.order_id == order.id)
                                   .order_by(CommissionLine.order_item_id, CommissionLine.level)))


def by_level(order) -> dict[int, tuple]:
    """{level: (beneficiary id, amount, reason)} for a one-item order."""
    return {line.level: (line.beneficiary_user_id, line.amount_fen, line.reason) for line in lines_of(order)}


def account(user) -> dict[str, int]:
    db.session.commit()  # a new transaction: see what other sessions committed (MariaDB snapshots)
    row = account_of(user.id)
    return {"pending": row.pending_fen, "frozen": row.frozen_fen, "available": row.available_fen,
            "withdrawing": row.withdrawing_fen, "withdrawn": row.withdrawn_fen}


def problems() -> list[str]:
    db.session.commit()  # a new transaction: see what other sessions committed (MariaDB snapshots)
    return list(verify.problems())


def days(n: int) -> timedelta:
    return timedelta(days=n)
