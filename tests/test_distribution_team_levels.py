"""An agent's level-2 team is read down an index: each binding keeps its grand referrer (the
referrer's referrer), and every bind keeps it — a shopper who moves takes the people they
brought in along, so those leave the old grand referrer's level 2 and join the new one's."""

from __future__ import annotations

from sqlalchemy import update

from app.distribution import queries
from app.distribution.agent_models import ReferralBinding
from app.extensions import db
from tests import factories
from tests.distribution_helpers import bind, configure, problems, referral_chain


def _level(agent, level: int) -> list[int]:
    db.session.commit()
    return [row.user_id for row in db.session.scalars(queries.team_members(agent.id, level))]


def test_a_shopper_who_moves_takes_their_team_along_at_level_2(app):
    configure(bind_mode="latest")
    old_top, new_top = referral_chain("旧上级"), referral_chain("新上级")
    old_top, new_top = old_top[0], new_top[0]
    (middle,) = referral_chain("中间")
    first, second = factories.shopper("一"), factories.shopper("二")
    bind(middle, old_top)
    bind(first, middle)
    bind(second, middle)
    assert _level(old_top, 2) == [second.id, first.id]  # newest first

    assert bind(middle, new_top).result == "rebound"

    assert _level(old_top, 2) == [] and _level(new_top, 2) == [second.id, first.id]
    assert _level(new_top, 1) == [middle.id]
    assert problems() == []


def test_a_root_with_a_team_who_binds_brings_the_team_to_level_2(app):
    (top,) = referral_chain("顶")
    (root,) = referral_chain("根")
    member = factories.shopper("成员")
    bind(member, root)
    assert _level(top, 2) == []

    bind(root, top)

    assert _level(top, 2) == [member.id]
    assert problems() == []


def test_verify_finds_a_wrong_grand_referrer_and_a_rebuild_mends_it(app, runner):
    top, middle = referral_chain("上", "中")
    member = factories.shopper("下")
    bind(member, middle)
    db.session.execute(update(ReferralBinding).where(ReferralBinding.user_id == member.id)
                       .values(grand_referrer_user_id=None))
    db.session.commit()

    result = runner.invoke(args=["distribution", "verify"])

    assert result.exit_code == 1
    assert result.stdout.splitlines() == [f"binding of {member.id}: grand referrer is None, the bindings say {top.id}"]
    assert _level(top, 2) == []
    assert runner.invoke(args=["distribution", "rebuild-rollups"]).exit_code == 0
    assert runner.invoke(args=["distribution", "verify"]).output == ""
    assert _level(top, 2) == [member.id]
