"""What a flash order claims in the database: the item's units and the shopper's limits per
session and per activity, each by a conditional update — refused with nothing written when
either would be passed, given back on release (to the SKU once the sale is over), racing
threads on MariaDB never passing the stock; and the gate loaded from these figures agrees."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from app.audit.services import SYSTEM
from app.catalog.models import Sku
from app.extensions import db, redis_client
from app.marketing import flash_activities
from app.marketing.flash_claims import ClaimRefused, claim, release
from app.marketing.flash_gate import Taken
from app.marketing.flash_gates import database_figures, gate_for, gate_limits
from app.marketing.flash_models import FlashHolding, FlashItem
from app.marketing.flash_schedule import beijing_today, day_occurrences
from tests import factories
from tests.flash_helpers import sale, session


def _setup(stock: int = 5, **limits):
    ten, eight = session("10:00场", "10:00"), session("20:00场", "20:00")
    product = factories.product(factories.category(), "蓝牙耳机", price_fen=5000, skus=2, stock=100)
    red, blue = sorted(product.skus, key=lambda sku: sku.id)
    activity = sale([(red, 1990, stock), (blue, 2990, stock)], [ten, eight], **limits)
    morning, evening = day_occurrences(beijing_today(), [ten, eight])
    return activity, activity.items[0], activity.items[1], morning, evening


def _holdings(activity) -> dict[tuple[int, str], int]:
    return {(row.user_id, row.scope): row.units for row in db.session.scalars(
        select(FlashHolding).where(FlashHolding.activity_id == activity.id, FlashHolding.units > 0))}


def _refused(item, user, quantity, occurrence) -> str:
    with pytest.raises(ClaimRefused) as refused:
        claim(item, user.id, quantity, occurrence)
    return refused.value.code


def test_a_claim_counts_units_against_the_stock_and_each_limit(app):
    activity, red, blue, morning, evening = _setup(limit_per_session=2, limit_per_activity=3)
    amy, bob = factories.shopper("amy"), factories.shopper("bob")
    claim(red, amy.id, 2, morning)
    db.session.commit()
    assert _refused(red, amy, 1, morning) == "flash_over_limit"  # 2 per session
    claim(blue, amy.id, 1, evening)  # another session, another SKU
    assert _refused(red, amy, 1, evening) == "flash_over_limit"  # 3 per activity, across SKUs
    assert _refused(red, bob, 4, morning) == "flash_sold_out"
    claim(red, bob.id, 2, morning)
    db.session.commit()
    assert (red.sold, blue.sold) == (4, 1)
    assert _holdings(activity) == {(amy.id, morning.scope): 2, (amy.id, "activity"): 3, (amy.id, evening.scope): 1,
                                   (bob.id, morning.scope): 2, (bob.id, "activity"): 2}


def test_a_refused_claim_writes_nothing(app):
    activity, red, _blue, morning, _evening = _setup(stock=3, limit_per_session=1)
    amy = factories.shopper()
    claim(red, amy.id, 1, morning)
    db.session.commit()
    before = (_holdings(activity), db.session.scalar(select(FlashItem.sold).where(FlashItem.id == red.id)))
    assert _refused(red, amy, 1, morning) == "flash_over_limit"  # sold was raised, then undone
    db.session.commit()
    assert (_holdings(activity), db.session.scalar(select(FlashItem.sold).where(FlashItem.id == red.id))) == before


def test_release_gives_the_units_and_the_limits_back(app):
    activity, red, _blue, morning, _evening = _setup(stock=2, limit_per_session=1)
    amy = factories.shopper()
    claim(red, amy.id, 1, morning)
    db.session.commit()
    release(red, amy.id, 1, morning.scope)
    db.session.commit()
    assert red.sold == 0 and _holdings(activity) == {}
    claim(red, amy.id, 1, morning)  # the shopper may buy again
    db.session.commit()
    assert red.sold == 1


def test_a_release_after_the_sale_returned_its_stock_goes_to_the_sku(app):
    activity, red, _blue, morning, _evening = _setup(stock=5, limit_per_session=2)
    amy = factories.shopper()
    claim(red, amy.id, 2, morning)
    db.session.commit()
    flash_activities.stop_activity(SYSTEM, activity)
    db.session.commit()
    sku_stock = lambda: db.session.scalar(select(Sku.stock).where(Sku.id == red.sku_id))  # noqa: E731
    assert sku_stock() == 98 and (red.stock, red.sold) == (2, 2)
    release(red, amy.id, 2, morning.scope)  # the unpaid order closes after the stop
    db.session.commit()
    assert sku_stock() == 100 and (red.stock, red.sold) == (0, 0)


def test_the_gate_loaded_from_the_database_figures_agrees_with_the_claims(app):
    _activity, red, _blue, morning, _evening = _setup(stock=3, limit_per_session=1)
    amy, bob, cat = factories.shopper(), factories.shopper(), factories.shopper()
    claim(red, amy.id, 1, morning)
    db.session.commit()
    gate = gate_for(red, morning, redis_client._get_current_object())
    left, holders = database_figures(red, morning)
    assert (left, holders) == (2, {morning.scope: {amy.id: 1}, "activity": {amy.id: 1}})
    assert gate.take(amy.id, 1, "t0", gate_limits(red, morning)) == Taken.COLD
    assert gate.load(left, holders) is True
    assert gate.take(amy.id, 1, "t1", gate_limits(red, morning)) == Taken.OVER_LIMIT
    assert gate.take(bob.id, 1, "t2", gate_limits(red, morning)) == 1
    claim(red, bob.id, 1, morning)  # bob's order reaches the database
    db.session.commit()
    assert gate.reconcile(*database_figures(red, morning), lambda tokens: {"t2": "waiting"}) == []
    assert gate.take(cat.id, 1, "t3", gate_limits(red, morning)) == 0
    assert gate.take(factories.shopper().id, 1, "t4", gate_limits(red, morning)) == Taken.SOLD_OUT


def test_racing_claims_never_pass_the_stock_or_a_limit(app, backend):
    if backend.name != "mariadb":
        pytest.skip("threads racing on row locks (the MariaDB run)")
    activity, red, _blue, morning, _evening = _setup(stock=10, limit_per_session=1)
    shoppers = [factories.shopper().id for _ in range(30)]
    item_id = red.id
    outcomes: list[str] = []
    lock = threading.Lock()

    def buy(user_id: int) -> None:
        with app.app_context():
            item = db.session.get(FlashItem, item_id)
            try:
                claim(item, user_id, 1, morning)
                db.session.commit()
                outcome = "ok"
            except ClaimRefused as refused:
                db.session.rollback()
                outcome = refused.code
            finally:
                db.session.remove()
            with lock:
                outcomes.append(outcome)

    threads = [threading.Thread(target=buy, args=(user_id,)) for user_id in shoppers for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    db.session.rollback()  # a fresh snapshot of what the threads committed
    assert outcomes.count("ok") == 10 and len(outcomes) == 60
    assert db.session.scalar(select(FlashItem.sold).where(FlashItem.id == item_id)) == 10
    per_shopper = _holdings(activity)
    assert sum(units for (_user, scope), units in per_shopper.items() if scope == morning.scope) == 10
    assert max(per_shopper.values()) == 1
    assert db.session.scalar(select(func.count()).select_from(FlashHolding)
                             .where(FlashHolding.scope == "activity", FlashHolding.units > 0)) == 10
