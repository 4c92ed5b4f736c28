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


def test_each_shoppers_claimed_count_is_checked_window_by_window(app, runner, monkeypatch):
    from app.marketing import coupon_verify
    from app.marketing.coupon_models import CouponHolding

    monkeypatch.setattr(coupon_verify, "SHOPPER_WINDOW", 2)
    row = template(kind="no_threshold", amount_fen=500, per_user_limit=2)
    shoppers = [factories.shopper() for _ in range(5)]
    for shopper in shoppers:
        give(shopper.id, row)
    assert runner.invoke(args=["coupons", "verify"]).exit_code == 0
    drifted, over = shoppers[2], shoppers[4]
    db.session.get(CouponHolding, (drifted.id, row.id)).claimed = 3
    db.session.get(CouponTemplate, row.id).per_user_limit = None  # two more given while unlimited
    db.session.commit()
    give(over.id, row)
    give(over.id, row)
    db.session.get(CouponTemplate, row.id).per_user_limit = 2
    db.session.commit()
    answer = runner.invoke(args=["coupons", "verify"])
    assert answer.exit_code == 1
    assert f"template {row.id}, shopper {drifted.id}: claimed is 3, the coupons say 1" in answer.output
    assert f"template {row.id}, shopper {over.id}: holds 3, past the limit" in answer.output
    assert sum(f"shopper {shopper.id}:" in answer.output for shopper in shoppers) == 2
