"""The demo seed's points: rules, shoppers with sign-in streaks and points, an order paid
partly with points, with wallets that verify, seeded once."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.marketing.points_models import OrderPoints, SignIn
from app.members.models import PointsEntry


def test_the_demo_seed_signs_in_spends_points_and_keeps_the_wallets_true(app, runner):
    assert runner.invoke(args=["seed", "demo"]).exit_code == 0
    assert db.session.scalar(select(func.max(SignIn.streak))) == 12
    assert db.session.scalar(select(func.count()).select_from(OrderPoints).where(OrderPoints.spent > 0)) == 1
    kinds = set(db.session.scalars(select(PointsEntry.kind)))
    assert {"sign_in", "order_points_spent", "demo_top_up"} <= kinds
    verify = runner.invoke(args=["members", "verify"])
    assert verify.exit_code == 0, verify.output
    sign_ins = db.session.scalar(select(func.count()).select_from(SignIn))
    assert runner.invoke(args=["seed", "demo"]).exit_code == 0
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(SignIn)) == sign_ins
