"""Team counters: how many shoppers an agent brought in directly (level 1), at level 2, and
in all (every descendant), kept in one row per shopper so a read is one primary-key look-up.

Why counters and not a closure table: a closure table holds a row per (ancestor,
descendant) pair — depth × shoppers rows, and a rebind near the root rewrites a whole
subtree's pairs. Counters hold one row per shopper; a bind adds the moved subtree's size to
each ancestor of the new referrer (one UPDATE over the chain) and a rebind subtracts it from
the old chain first. Referral chains are short in practice (tens of levels), trees are wide,
and reads (summaries, upgrade conditions) far outnumber binds, so counters win. Only
`binding.bind` calls these functions, holding the bind lock, so nothing races them;
`recount()` rebuilds every number from the bindings in memory; `sizes_below()` counts the
teams of a range of shoppers in the database (a recursive query down the tree), so
`flask distribution verify` can check millions of bindings batch by batch.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import case, func, literal, select, text, update
from sqlalchemy.orm import aliased

from app.distribution.agent_models import ReferralBinding, TeamCounter
from app.extensions import db

CHUNK = 500
MAX_DEPTH = 100_000  # a walk deeper than this means the tree loops, not that it is deep


@dataclass(frozen=True)
class TeamSize:
    direct: int
    second: int
    total: int


def team_size(user_id: int, *, lock: bool = False) -> TeamSize:
    statement = (select(TeamCounter.direct_count, TeamCounter.second_count, TeamCounter.total_count)
                 .where(TeamCounter.user_id == user_id))
    row = db.session.execute(statement.with_for_update() if lock else statement).first()
    return TeamSize(*row) if row else TeamSize(0, 0, 0)


def team_sizes(user_ids: set[int]) -> dict[int, TeamSize]:
    """`team_size` of many shoppers in one query (a page of a team): {user_id: size}."""
    found = {row.user_id: TeamSize(row.direct_count, row.second_count, row.total_count)
             for row in db.session.execute(select(TeamCounter.user_id, TeamCounter.direct_count,
                                                  TeamCounter.second_count, TeamCounter.total_count)
                                           .where(TeamCounter.user_id.in_(user_ids)))} if user_ids else {}
    return {user_id: found.get(user_id, TeamSize(0, 0, 0)) for user_id in user_ids}


def _ensure(user_id: int) -> None:
    if db.session.scalar(select(TeamCounter.user_id).where(TeamCounter.user_id == user_id).with_for_update()) is None:
        db.session.add(TeamCounter(user_id=user_id, direct_count=0, second_count=0, total_count=0))
        db.session.flush()


def _add(user_ids: list[int], **deltas: int) -> None:
    values = {f"{name}_count": getattr(TeamCounter, f"{name}_count") + delta for name, delta in deltas.items()}
    for start in range(0, len(user_ids), CHUNK):
        db.session.execute(update(TeamCounter).where(TeamCounter.user_id.in_(user_ids[start:start + CHUNK]))
                           .values(**values).execution_options(synchronize_session=False))


def move_subtree(user_id: int, chain: list[int], sign: int) -> None:
    """Attach (sign 1) or detach (sign -1) `user_id` and its subtree under `chain`
    ([referrer, referrer's referrer, …, root])."""
    if not chain:
        return
    moved = team_size(user_id, lock=True)  # a locking read: the latest counts, whatever this transaction read before
    size = 1 + moved.total
    _ensure(chain[0])
    _add([chain[0]], direct=sign, second=sign * moved.direct, total=sign * size)
    if len(chain) > 1:
        _add([chain[1]], second=sign, total=sign * size)
    if len(chain) > 2:
        _add(chain[2:], total=sign * size)
    for row in list(db.session.identity_map.values()):
        if isinstance(row, TeamCounter):
            db.session.expire(row)


def relink_grandchildren(user_id: int, referrer_id: int) -> None:
    """`user_id` now has `referrer_id` as referrer: the shoppers it brought in have them two
    levels up (each binding keeps its grand referrer, so a level-2 team is an index range)."""
    db.session.execute(update(ReferralBinding).where(ReferralBinding.referrer_user_id == user_id)
                       .values(grand_referrer_user_id=referrer_id).execution_options(synchronize_session=False))
    for row in list(db.session.identity_map.values()):  # loaded ones re-read it (without loading any here)
        if isinstance(row, ReferralBinding) and row.__dict__.get("referrer_user_id") == user_id:
            db.session.expire(row)


def grand_links_statement():
    """Every binding's grand referrer from its referrer's binding (a root's team: none)."""
    upper = aliased(ReferralBinding)
    return select(upper.referrer_user_id).where(upper.user_id == ReferralBinding.referrer_user_id).scalar_subquery()


def relink_all() -> int:
    """Set every binding's grand referrer from the bindings (a bulk-loaded shop, a repair); the
    number of bindings changed. MariaDB cannot UPDATE a table from a subquery of itself, so
    there it is a join."""
    if db.session.get_bind().dialect.name == "mysql":
        return db.session.execute(text(
            "UPDATE referral_bindings b LEFT JOIN referral_bindings u ON u.user_id = b.referrer_user_id "
            "SET b.grand_referrer_user_id = u.referrer_user_id "
            "WHERE NOT (b.grand_referrer_user_id <=> u.referrer_user_id)")).rowcount
    return db.session.execute(update(ReferralBinding).values(grand_referrer_user_id=grand_links_statement())
                              .where(ReferralBinding.grand_referrer_user_id.is_distinct_from(grand_links_statement()))
                              .execution_options(synchronize_session=False)).rowcount


def recount() -> dict[int, TeamSize]:
    """Team sizes computed from the bindings alone (every shopper with at least one descendant)."""
    parent = dict(db.session.execute(select(ReferralBinding.user_id, ReferralBinding.referrer_user_id)).all())
    children: dict[int, list[int]] = defaultdict(list)
    for child, referrer in parent.items():
        children[referrer].append(child)
    total: dict[int, int] = {}
    for root in [node for node in children if node not in parent]:
        _count_descendants(root, children, total)
    return {node: TeamSize(len(kids), sum(len(children.get(kid, ())) for kid in kids), total[node])
            for node, kids in children.items() if node in total}


def _count_descendants(root: int, children: dict[int, list[int]], total: dict[int, int]) -> None:
    """Post-order without recursion, so a chain of any depth is fine."""
    stack = [(root, False)]
    while stack:
        node, done = stack.pop()
        if done:
            total[node] = sum(1 + total[kid] for kid in children.get(node, ()))
            continue
        stack.append((node, True))
        stack.extend((kid, False) for kid in children.get(node, ()))


def _counted(seed_condition) -> dict[int, TeamSize]:
    """{root: team size} for every referrer the condition picks, walking down the bindings in
    the database: one row per (root, descendant) comes and goes inside the query."""
    bindings = ReferralBinding.__table__
    down = (select(bindings.c.referrer_user_id.label("root"), bindings.c.user_id.label("member"),
                   literal(1).label("depth"))
            .where(seed_condition(bindings.c.referrer_user_id)).cte("down", recursive=True))
    down = down.union_all(select(down.c.root, bindings.c.user_id, down.c.depth + 1)
                          .join(bindings, bindings.c.referrer_user_id == down.c.member)
                          .where(down.c.depth < MAX_DEPTH))
    rows = db.session.execute(select(down.c.root, func.sum(case((down.c.depth == 1, 1), else_=0)),
                                     func.sum(case((down.c.depth == 2, 1), else_=0)), func.count())
                              .group_by(down.c.root))
    return {root: TeamSize(int(direct), int(second), int(total)) for root, direct, second, total in rows}


def sizes_below(after: int, upper: int | None) -> dict[int, TeamSize]:
    """Team sizes, from the bindings, of every shopper with an id in (after, upper] (no end when
    upper is None) who has at least one descendant."""
    def in_range(referrer):
        return referrer > after if upper is None else referrer.between(after + 1, upper)

    return _counted(in_range)


def size_below(user_id: int) -> TeamSize:
    """One shopper's team size, from the bindings."""
    return _counted(lambda referrer: referrer == user_id).get(user_id, TeamSize(0, 0, 0))
