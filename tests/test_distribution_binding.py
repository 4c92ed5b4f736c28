"""Referral binding: never to oneself, never a cycle of any length, eligibility and the three
modes, every attempt recorded; team counters always equal a count from the bindings."""

from __future__ import annotations

import random
import time
from itertools import pairwise

import pytest
from sqlalchemy import insert, select

from app.accounts.models import User
from app.audit.services import SYSTEM
from app.core.models import utcnow
from app.distribution import agents, binding, team
from app.distribution.agent_models import BindingEvent, ReferralBinding, TeamCounter
from app.extensions import db
from tests import factories
from tests.distribution_helpers import agent, bind, configure, days, paid_order, problems, referral_chain, sku


def _events(user) -> list[tuple[str, str]]:
    return [(event.action, event.reason) for event in db.session.scalars(
        select(BindingEvent).where(BindingEvent.user_id == user.id).order_by(BindingEvent.id))]


def test_a_shopper_cannot_refer_themselves(app):
    a = agent("A")
    assert bind(a, a).reason == "self"
    assert _events(a) == [("refused", "self")]


def test_a_cycle_of_two_is_refused(app):
    a, b = referral_chain("A", "B")
    assert bind(a, b).reason == "cycle"
    assert binding.binding_of(a.id) is None


@pytest.mark.parametrize("length", [3, 4, 7])
def test_a_cycle_of_any_length_is_refused(app, length):
    configure(bind_mode="latest")
    chain = referral_chain(*[f"U{index}" for index in range(length)])
    assert bind(chain[0], chain[-1]).reason == "cycle"
    assert binding.ancestors(chain[-1].id) == [user.id for user in reversed(chain[:-1])]
    assert problems() == []


def test_a_rebind_under_ones_own_descendant_is_refused_in_latest_mode(app):
    configure(bind_mode="latest")
    root, a, _b, c = referral_chain("R", "A", "B", "C")
    assert bind(a, c).reason == "cycle"
    assert binding.binding_of(a.id).referrer_user_id == root.id


def test_the_referrer_must_be_an_active_agent(app):
    plain, shopper = factories.shopper(), factories.shopper()
    assert bind(shopper, plain).reason == "referrer_not_agent"
    disabled = agent()
    agents.disable(SYSTEM, disabled.id)
    db.session.commit()
    assert bind(shopper, disabled).reason == "referrer_not_agent"


def test_in_auto_mode_the_referrer_becomes_an_agent(app):
    configure(become_agent="auto")
    referrer, shopper = factories.shopper(), factories.shopper()
    assert bind(shopper, referrer).result == "bound"
    assert agents.is_active(referrer.id) and agents.agent_of(referrer.id).how == "auto"


def test_invite_codes_bind_and_unknown_ones_are_refused(app):
    a = agent("A")
    shopper = factories.shopper()
    code = agents.agent_of(a.id).invite_code
    assert len(code) == 6 and code.isalnum() and len(f"r={code}&p=123456789") <= 32
    assert bind(shopper, "nope00", source="invite_code").reason == "unknown_referrer"
    assert bind(shopper, code, source="invite_code").result == "bound"
    assert binding.binding_of(shopper.id).source == "invite_code"


def test_permanent_mode_first_touch_wins(app):
    configure(bind_mode="permanent")
    a, b, shopper = agent("A"), agent("B"), factories.shopper()
    assert bind(shopper, a).result == "bound"
    assert bind(shopper, a).result == "unchanged"
    assert bind(shopper, b).reason == "already_bound"
    assert binding.binding_of(shopper.id).referrer_user_id == a.id
    assert _events(shopper) == [("bind", ""), ("refused", "already_bound")]


def test_expiring_mode_rebinds_only_after_expiry(app):
    configure(bind_mode="expiring", bind_days=30)
    a, b, shopper = agent("A"), agent("B"), factories.shopper()
    start = utcnow().replace(microsecond=0)  # MariaDB keeps whole seconds
    assert bind(shopper, a, now=start).result == "bound"
    assert binding.binding_of(shopper.id).expires_at == start + days(30)
    assert bind(shopper, b, now=start + days(29)).reason == "already_bound"
    assert bind(shopper, b, now=start + days(30)).result == "rebound"
    assert team.team_size(a.id).direct == 0 and team.team_size(b.id).direct == 1
    assert _events(shopper) == [("bind", ""), ("refused", "already_bound"), ("rebind", "")]
    assert problems() == []


def test_latest_mode_moves_the_whole_subtree_to_the_newest_referrer(app):
    configure(bind_mode="latest")
    old_root, old_parent = referral_chain("R1", "P1")
    new_root, new_parent = referral_chain("R2", "P2")
    mover = agent("M")
    bind(mover, old_parent)
    for _ in range(3):
        bind(factories.shopper(), mover)
    assert team.team_size(old_root.id) == team.TeamSize(1, 1, 5)
    assert bind(mover, new_parent).result == "rebound"
    assert team.team_size(old_root.id) == team.TeamSize(1, 0, 1)
    assert team.team_size(old_parent.id) == team.TeamSize(0, 0, 0)
    assert team.team_size(new_root.id) == team.TeamSize(1, 1, 5)
    assert team.team_size(new_parent.id) == team.TeamSize(1, 3, 4)
    assert _events(mover) == [("bind", ""), ("rebind", "")]
    assert problems() == []


def test_new_only_binds_shoppers_who_never_paid_an_order(app):
    configure(bind_eligibility="new_only")
    a = agent("A")
    returning, newcomer = factories.shopper(), factories.shopper()
    paid_order(returning, [(sku(), 1)])
    assert bind(returning, a).reason == "not_new"
    assert bind(newcomer, a).result == "bound"


def test_nothing_binds_while_distribution_is_off(app):
    configure(enabled=False)
    assert bind(factories.shopper(), agent()).reason == "distribution_off"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_binds_and_rebinds_keep_counters_true_and_never_make_a_cycle(app, seed):
    rng = random.Random(seed)
    configure(bind_mode="latest")
    users = [factories.shopper(f"u{seed}-{index}").id for index in range(40)]
    for user_id in users:
        agents.appoint(SYSTEM, user_id)
    # a deep chain and a wide fan to start from, then random touches (one transaction per 30)
    for upper, lower in pairwise(users[:16]):
        binding.bind(lower, upper, "link")
    for leaf in users[16:30]:
        binding.bind(leaf, users[3], "link")
    for step in range(120):
        shopper, referrer = rng.sample(users, 2)
        outcome = binding.bind(shopper, referrer, "link")
        assert outcome.result in {"bound", "rebound", "unchanged"} or outcome.reason == "cycle"
        if step % 30 == 0:
            db.session.commit()
            assert problems() == []
    for user_id in users:
        binding.ancestors(user_id)  # raises if a chain loops
    assert problems() == []


def test_team_size_of_an_agent_with_100000_descendants_is_one_fast_lookup(app):
    root = agent("root")
    # 100,000 shoppers under root: 100 directs, each with 999 of their own
    first = db.session.scalar(select(User.id).order_by(User.id.desc())) + 1
    db.session.execute(insert(User), [{"id": first + index, "nickname": f"t{index}", "is_test": True,
                                       "token_version": 0, "is_disabled": False, "created_at": utcnow(),
                                       "updated_at": utcnow()} for index in range(100_000)])
    now = utcnow()
    rows = [{"user_id": first + index, "referrer_user_id": root.id if index < 100 else first + index % 100,
             "source": "link", "bound_at": now} for index in range(100_000)]
    db.session.execute(insert(ReferralBinding), rows)
    counts = team.recount()
    db.session.execute(insert(TeamCounter), [{"user_id": user_id, "direct_count": size.direct,
                                              "second_count": size.second, "total_count": size.total}
                                             for user_id, size in counts.items()])
    db.session.commit()
    # a bind at the bottom keeps the root's numbers true
    agents.appoint(SYSTEM, first + 500)
    assert bind(factories.shopper(), db.session.get(User, first + 500)).result == "bound"
    timings = []
    for _ in range(20):
        started = time.perf_counter()
        size = team.team_size(root.id)
        timings.append(time.perf_counter() - started)
    assert size == team.TeamSize(100, 99_900, 100_001)
    assert sorted(timings)[len(timings) // 2] < 0.005
