"""Giving coupons: never more than the total or a shopper's limits (in all and per Beijing day),
even under 200 claims at once; one coupon per (source, ref); a gift taken back only while unused.

The races run on MariaDB, whose row locks are what the conditional UPDATEs rely on; SQLite
serialises writers and answers "database is locked" to a second one instead of waiting.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.core.errors import Conflict
from app.core.models import utcnow
from app.extensions import db
from app.marketing import coupon_grants
from app.marketing.coupon_models import CouponHolding
from tests import factories
from tests.coupon_helpers import coupon_count, fresh_template, give, moves, template

CLAIMS = 200
TOTAL = 50


def test_a_grant_gives_a_coupon_valid_for_the_templates_days_and_records_it(app):
    # given a template valid for 3 days from receipt
    shopper = factories.shopper()
    row = template(amount_fen=500, threshold_fen=5000, valid_days=3)
    # when the merchant gives it
    coupon = give(shopper.id, row, actor=coupon_grants.staff_actor(7))
    # then the shopper holds an unused coupon for 3 days, counted and recorded
    assert coupon.status == "unused" and coupon.user_id == shopper.id and coupon.source == "merchant"
    assert abs(coupon.valid_until - coupon.valid_from - timedelta(days=3)) < timedelta(seconds=1)
    assert fresh_template(row.id).issued == 1
    assert moves(coupon.id) == [("claimed", None)]


def test_the_same_source_and_ref_gives_one_coupon(app):
    shopper = factories.shopper()
    row = template(amount_fen=500)
    first = coupon_grants.grant(shopper.id, row.id, source="order_gift", ref="order:9")
    again = coupon_grants.grant(shopper.id, row.id, source="order_gift", ref="order:9")
    db.session.commit()
    assert first.id == again.id and coupon_count() == 1 and fresh_template(row.id).issued == 1


@pytest.mark.parametrize(("fields", "code"), [
    ({"total": 1}, "coupon_sold_out"),
    ({"per_user_limit": 1}, "coupon_limit_reached"),
    ({"per_user_daily_limit": 1}, "coupon_daily_limit_reached"),
])
def test_a_second_claim_past_a_limit_is_refused_and_writes_nothing(app, fields, code):
    # given a shopper who already received one
    shopper = factories.shopper()
    row = template(amount_fen=500, **fields)
    give(shopper.id, row)
    # when they ask for another
    with pytest.raises(Conflict) as refused:
        coupon_grants.grant(shopper.id, row.id, source="centre", ref="second")
    db.session.commit()
    # then it is refused and nothing more was given or counted
    assert refused.value.code == code
    assert coupon_count() == 1 and fresh_template(row.id).issued == 1
    assert db.session.get(CouponHolding, (shopper.id, row.id)).claimed == 1


def test_a_daily_limit_allows_another_the_next_beijing_day(app):
    shopper = factories.shopper()
    row = template(amount_fen=500, per_user_daily_limit=1)
    give(shopper.id, row)
    tomorrow = utcnow() + timedelta(days=1)
    coupon_grants.grant(shopper.id, row.id, source="centre", ref="tomorrow", now=tomorrow)
    db.session.commit()
    assert coupon_count() == 2


def test_a_disabled_or_ended_template_gives_nothing(app):
    shopper = factories.shopper()
    off = template(amount_fen=500, enabled=False)
    ended = template(amount_fen=500, validity="fixed", valid_from=utcnow() - timedelta(days=9),
                     valid_until=utcnow() - timedelta(days=1))
    for row, code in ((off, "coupon_disabled"), (ended, "coupon_ended")):
        with pytest.raises(Conflict) as refused:
            coupon_grants.grant(shopper.id, row.id, source="centre", ref=f"x{row.id}")
        assert refused.value.code == code
    assert coupon_count() == 0


def test_revoke_takes_back_an_unused_gift_once_and_never_a_used_one(app):
    shopper = factories.shopper()
    row = template(amount_fen=500)
    coupon_grants.grant(shopper.id, row.id, source="order_gift", ref="order:1")
    used = coupon_grants.grant(shopper.id, row.id, source="order_gift", ref="order:2")
    used.status = "used"
    db.session.commit()
    assert coupon_grants.revoke("order_gift", "order:1") is True
    assert coupon_grants.revoke("order_gift", "order:1") is False  # already taken back
    assert coupon_grants.revoke("order_gift", "order:2") is False  # used: the shopper keeps what they spent
    assert coupon_grants.revoke("order_gift", "order:404") is False
    db.session.commit()
    assert coupon_count(status="revoked") == 1 and fresh_template(row.id).revoked == 1


def _race(app, count: int, claim) -> list[str]:
    barrier = threading.Barrier(count)
    outcomes: list[str] = []

    def run(index: int) -> None:
        with app.app_context():
            barrier.wait()
            try:
                claim(index)
                db.session.commit()
                outcomes.append("ok")
            except Conflict as exc:
                db.session.rollback()
                outcomes.append(exc.code)
            except Exception as exc:  # reported in the assertion, not hidden
                db.session.rollback()
                outcomes.append(f"{type(exc).__name__}: {str(exc)[:120]}")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=180)
    return outcomes


def test_two_hundred_concurrent_claims_of_fifty_coupons_give_exactly_fifty(app):
    if db.engine.dialect.name == "sqlite":
        pytest.skip("SQLite has no row locks to race on; MariaDB runs this")
    # given a template of 50 coupons and 200 shoppers
    row = template(amount_fen=500, total=TOTAL, per_user_limit=1)
    shoppers = [factories.shopper(f"抢{index}").id for index in range(CLAIMS)]
    template_id = row.id
    # when they all claim at the same moment
    outcomes = _race(app, CLAIMS, lambda index: coupon_grants.grant(
        shoppers[index], template_id, source="centre", ref=f"centre:{shoppers[index]}:1"))
    # then exactly fifty got one; everyone else was told they are all given out
    assert outcomes.count("ok") == TOTAL, sorted(set(outcomes))
    assert set(outcomes) == {"ok", "coupon_sold_out"}
    assert coupon_count() == TOTAL and fresh_template(template_id).issued == TOTAL


def test_one_shopper_claiming_at_once_never_passes_their_limit(app):
    if db.engine.dialect.name == "sqlite":
        pytest.skip("SQLite has no row locks to race on; MariaDB runs this")
    # given a limit of 2 per shopper (3 a day) and one shopper tapping 20 times at once
    row = template(amount_fen=500, total=100, per_user_limit=2, per_user_daily_limit=3)
    shopper_id = factories.shopper().id
    template_id = row.id
    outcomes = _race(app, 20, lambda index: coupon_grants.grant(
        shopper_id, template_id, source="centre", ref=f"centre:{shopper_id}:{index}"))
    # then exactly two were given
    assert outcomes.count("ok") == 2, sorted(set(outcomes))
    assert set(outcomes) == {"ok", "coupon_limit_reached"}
    assert coupon_count(user_id=shopper_id) == 2 and fresh_template(template_id).issued == 2
    assert db.session.scalar(select(CouponHolding.claimed).where(CouponHolding.user_id == shopper_id)) == 2
