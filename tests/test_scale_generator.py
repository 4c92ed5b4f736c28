"""The scale generator (bench/scale) builds a shop of the asked size whose referral trees,
orders and commission books follow the app's own rules: `flask distribution verify` (and
`flask members verify`) finds nothing, and re-running accrual on its orders writes the very
lines it generated."""

from __future__ import annotations

import random
from datetime import date

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.orm import aliased

from app.accounts.models import User
from app.catalog.models import Product, Sku
from app.distribution import accrual
from app.distribution.agent_models import Agent, ReferralBinding, TeamCounter
from app.distribution.commission_models import CommissionEntry, CommissionLine
from app.extensions import db
from app.members.models import Wallet
from app.orders import search_index, search_terms
from app.orders.models import Order, OrderItem, OrderSearchTerm
from app.payments.models import Payment
from bench.scale import people
from bench.scale.build import NotEmpty, build
from bench.scale.clock import Clock
from bench.scale.orders import OrderPass
from bench.scale.sink import Sink
from bench.scale.sizes import SIZES

TODAY = date(2026, 12, 1)


class _Collected(Sink):
    """Keeps what the generator writes, in order, instead of loading it."""

    def __init__(self):
        super().__init__()
        self.rows = []

    def write(self, writer, rows):
        self.rows.append((writer.table, rows))


@pytest.fixture
def tiny_shop(app):
    build(app, "tiny", seed=16, today=TODAY)
    return app


def _count(model, *conditions) -> int:
    return db.session.scalar(select(func.count()).select_from(model).where(*conditions))


def test_tiny_shop_has_the_shoppers_agents_orders_and_catalogue_of_its_size(tiny_shop):
    assert _count(User) == 400
    assert 30 <= _count(Agent) <= 60
    assert _count(Order) == 1000
    assert (_count(Product), _count(Sku)) == (30, 90)
    statuses = set(db.session.scalars(select(Order.status).distinct()))
    assert {"completed", "shipped", "closed", "cancelled"} <= statuses
    paid = _count(Order, Order.paid_at.is_not(None))
    assert _count(Payment) == paid
    assert 1.2 <= _count(OrderItem) / _count(Order) <= 1.5
    first, last = db.session.execute(select(func.min(Order.created_at), func.max(Order.created_at))).one()
    assert (last - first).days >= 300


def test_tiny_shop_referrals_are_agents_signed_up_earlier_with_a_few_big_teams(tiny_shop):
    referrer_agent = aliased(Agent)
    bindings = _count(ReferralBinding)
    assert bindings > 50
    assert _count(ReferralBinding, ReferralBinding.referrer_user_id >= ReferralBinding.user_id) == 0
    not_agents = db.session.scalar(select(func.count()).select_from(ReferralBinding).outerjoin(
        referrer_agent, referrer_agent.user_id == ReferralBinding.referrer_user_id).where(referrer_agent.id.is_(None)))
    assert not_agents == 0
    biggest = db.session.scalar(select(func.max(TeamCounter.direct_count)))
    assert biggest >= bindings // 10  # a star team
    one, two, three = (aliased(ReferralBinding) for _ in range(3))
    three_deep = db.session.scalar(select(func.count()).select_from(one)
                                   .join(two, two.user_id == one.referrer_user_id)
                                   .join(three, three.user_id == two.referrer_user_id))
    assert three_deep > 0


def test_tiny_shop_books_and_wallets_verify_clean_with_commission_in_every_status(tiny_shop, runner):
    statuses = set(db.session.scalars(select(CommissionLine.status).distinct()))
    assert {"none", "pending", "frozen", "available", "cancelled"} <= statuses
    paid_orders = _count(Order, Order.paid_at.is_not(None))
    assert 1.0 <= _count(CommissionEntry) / paid_orders <= 2.2

    result = runner.invoke(args=["distribution", "verify"])
    wallets = runner.invoke(args=["members", "verify"])

    assert result.exit_code == 0 and result.output == ""
    assert _count(Wallet) > 0 and wallets.exit_code == 0 and wallets.output == ""


def test_accrual_rewrites_the_generated_lines_of_every_paid_order(tiny_shop):
    fields = ("order_item_id", "level", "beneficiary_user_id", "rule", "base_fen", "rate_bp", "fixed_fen",
              "amount_fen", "reason")

    def lines(order_ids):
        return sorted(tuple(getattr(line, name) for name in fields) for line in db.session.scalars(
            select(CommissionLine).where(CommissionLine.order_id.in_(order_ids))))

    order_ids = list(db.session.scalars(select(Order.id).where(Order.status.in_(accrual.PAID_STATUSES))))
    generated = lines(order_ids)
    line_ids = select(CommissionLine.id).where(CommissionLine.order_id.in_(order_ids))
    db.session.execute(delete(CommissionEntry).where(CommissionEntry.line_id.in_(line_ids)))
    db.session.execute(delete(CommissionLine).where(CommissionLine.order_id.in_(order_ids)))

    for order_id in order_ids:
        accrual.accrue(order_id)

    assert lines(order_ids) == generated
    db.session.rollback()


def test_the_generated_search_index_is_what_reindexing_the_orders_writes(tiny_shop):
    def index():
        return db.session.execute(select(OrderSearchTerm.term, OrderSearchTerm.order_id)
                                  .order_by(OrderSearchTerm.term, OrderSearchTerm.order_id)).all()

    generated = index()
    search_index.reindex()

    assert generated and index() == generated
    # and a keyword finds its orders through it: every order received by the commonest name
    name = db.session.scalar(select(Order.receiver_name).group_by(Order.receiver_name)
                             .order_by(func.count().desc()).limit(1))
    name_orders = db.session.scalars(select(Order.id).where(Order.receiver_name == name)).all()
    found = db.session.scalars(select(Order.id).from_statement(
        search_index.orders_holding(search_terms.keyword_terms(name)))).all()
    assert len(name_orders) > 1 and set(name_orders) <= set(found)


def test_the_generator_refuses_a_shop_that_has_shoppers(tiny_shop):
    with pytest.raises(NotEmpty):
        build(tiny_shop, "tiny", seed=16, today=TODAY)


def test_the_same_seed_and_day_give_the_same_shop_and_another_seed_another():
    def shop(seed):
        sink, rng = _Collected(), random.Random(seed)
        clock = Clock(TODAY, "")
        shoppers = people.build(sink, clock, SIZES["tiny"], rng)
        OrderPass(sink, clock, SIZES["tiny"], shoppers, rng).run()
        sink.flush_all()
        return sink.rows

    assert shop(16) == shop(16)
    assert shop(16) != shop(17)
