"""`flask coupons verify` finds no discrepancy after real claims and moves, and names one when a
counter drifts; `flask coupons expire` expires what is past its date, counted once."""

from __future__ import annotations

from app.extensions import db
from app.marketing.coupon_models import CouponTemplate
from tests import factories
from tests.coupon_helpers import expire, fresh_coupon, fresh_template, give, moves, template


def test_the_counters_agree_with_the_coupons_and_a_drift_is_named(app, runner):
    row = template(kind="no_threshold", amount_fen=500, per_user_limit=3)
    shopper = factories.shopper()
    give(shopper.id, row)
    give(shopper.id, row)
    assert runner.invoke(args=["coupons", "verify"]).exit_code == 0
    db.session.get(CouponTemplate, row.id).issued = 5
    db.session.commit()
    answer = runner.invoke(args=["coupons", "verify"])
    assert answer.exit_code == 1 and f"template {row.id}: issued is 5, the coupons say 2" in answer.output


def test_expire_marks_past_coupons_once_with_their_counter(app, runner):
    row = template(kind="no_threshold", amount_fen=500)
    shopper = factories.shopper()
    old, fresh = give(shopper.id, row), give(shopper.id, row)
    expire(old)
    assert "expired 1 coupon(s)" in runner.invoke(args=["coupons", "expire"]).output
    assert "expired 0 coupon(s)" in runner.invoke(args=["coupons", "expire"]).output
    assert fresh_coupon(old.id).status == "expired" and fresh_coupon(fresh.id).status == "unused"
    assert fresh_template(row.id).expired == 1 and moves(old.id)[-1] == ("expired", None)
    assert runner.invoke(args=["coupons", "verify"]).exit_code == 0
