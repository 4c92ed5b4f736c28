"""The demo seed's member growth: a growth ladder with benefits, demo shoppers spread over
its levels by their growth history (and their completed demo orders), books that verify,
and a second run that adds nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from app.extensions import db
from app.members.growth_models import LevelChange
from app.members.models import GrowthEntry, MemberLevel, Wallet


def test_the_demo_seed_gives_shoppers_growth_and_levels_with_clean_books(app, runner):
    assert runner.invoke(args=["seed", "demo"]).exit_code == 0
    ladder = db.session.execute(select(MemberLevel.name, MemberLevel.growth_threshold, MemberLevel.free_shipping)
                                .order_by(MemberLevel.growth_threshold)).all()
    assert ladder == [("银卡", 500, False), ("金卡", 2000, False), ("钻石", 8000, True)]
    reached = set(db.session.scalars(select(MemberLevel.name).join(Wallet, Wallet.level_id == MemberLevel.id)))
    assert "钻石" in reached and len(reached) >= 2
    kinds = set(db.session.scalars(select(GrowthEntry.kind)))
    assert {"demo", "order"} <= kinds
    assert db.session.scalar(select(func.count()).select_from(LevelChange)) > 0
    verify = runner.invoke(args=["members", "verify"])
    assert verify.exit_code == 0 and "growth" not in verify.output
    entries = db.session.scalar(select(func.count()).select_from(GrowthEntry))
    runner.invoke(args=["seed", "demo"])
    assert db.session.scalar(select(func.count()).select_from(GrowthEntry)) == entries
