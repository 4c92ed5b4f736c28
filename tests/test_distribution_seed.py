"""The demo seed's distribution: a referral tree with agents at every level and commission in
every status (one account in debt after a clawback), with books that verify, seeded once."""

from __future__ import annotations

from sqlalchemy import func, select

from app.distribution.commission_models import AgentAccount, CommissionLine
from app.extensions import db


def test_the_demo_seed_has_commission_in_every_status_and_clean_books(app, runner):
    assert runner.invoke(args=["seed", "demo"]).exit_code == 0
    statuses = set(db.session.scalars(select(CommissionLine.status)))
    assert statuses == {"none", "pending", "frozen", "available", "cancelled"}
    assert db.session.scalar(select(func.sum(CommissionLine.clawed_back_fen))) > 0
    assert db.session.scalar(select(func.min(AgentAccount.available_fen))) < 0
    assert db.session.scalar(select(func.max(CommissionLine.level))) == 3
    verify = runner.invoke(args=["distribution", "verify"])
    assert verify.exit_code == 0 and verify.output == ""
    lines = db.session.scalar(select(func.count()).select_from(CommissionLine))
    assert "left alone" in runner.invoke(args=["seed", "demo"]).output
    assert db.session.scalar(select(func.count()).select_from(CommissionLine)) == lines
