"""Demo member levels on a growth ladder (银卡 / 金卡 / 钻石; 普通会员 is no level) with their
benefits, the growth rules, and the demo shoppers' growth history over the last months —
written through the growth ledger, so levels rise as they would and `flask members verify`
agrees. Runs before the demo orders, whose completions then earn growth too.

Safe to run twice: levels are found by name, each history entry has a fixed ref."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select, update

from app.accounts.models import User
from app.accounts.seed import DEMO_SHOPPERS
from app.accounts.services import dev_person
from app.audit.services import SYSTEM
from app.core.models import utcnow
from app.extensions import db
from app.members import growth, growth_settings
from app.members.growth_models import GrowthKind, GrowthSettings
from app.members.models import GrowthEntry, MemberLevel
from app.members.services import LevelFields, save_level

LEVELS = (
    LevelFields("银卡", 500, discount_bp=9800, benefits="全场商品 98 折"),
    LevelFields("金卡", 2000, discount_bp=9500, points_multiplier_bp=12_000, benefits="全场 95 折，积分 1.2 倍"),
    LevelFields("钻石", 8000, discount_bp=9000, points_multiplier_bp=15_000, free_shipping=True,
                benefits="全场 9 折，积分 1.5 倍，全场包邮，专属客服"),
)
# growth earned by each demo shopper before the demo orders: (days ago, growth), by shopper
HISTORY = ((120, 5000), (60, 3000), (20, 1200), (5, 300))


def seed_member_growth() -> list[str]:
    created = 0
    for fields in LEVELS:
        if db.session.scalar(select(MemberLevel).where(MemberLevel.name == fields.name)) is None:
            save_level(SYSTEM, None, fields)
            created += 1
    if db.session.get(GrowthSettings, growth_settings.SETTINGS_ID) is None:
        growth_settings.save(SYSTEM, per_yuan=1, per_sign_in=5, yearly_downgrade=False)
    written = 0
    for index, (name, _nickname) in enumerate(DEMO_SHOPPERS):
        user_id = db.session.scalar(select(User.id).where(User.mp_openid == dev_person(name)[0]))
        if user_id is None:
            continue
        for step, (days_ago, amount) in enumerate(HISTORY[index % len(HISTORY):]):
            ref = f"demo-{user_id}-{step}"
            if db.session.scalar(select(GrowthEntry.id).where(GrowthEntry.kind == GrowthKind.DEMO,
                                                              GrowthEntry.ref == ref)) is not None:
                continue
            entry = growth.change_growth(user_id, amount, kind=GrowthKind.DEMO, ref=ref, reason="演示成长值")
            db.session.execute(update(GrowthEntry).where(GrowthEntry.id == entry.id)
                               .values(created_at=utcnow() - timedelta(days=days_ago)))
            written += 1
    db.session.flush()
    return [f"member levels: {created} created ({', '.join(level.name for level in LEVELS)}), "
            f"{written} growth entries for the demo shoppers"]
