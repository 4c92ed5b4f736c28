"""Agent levels: saving them (audited), and upgrading agents whose numbers reach a better
level's conditions — direct invites, team size, own spend, team sales, commission earned;
all of them or any one. Upgrades only: a level is lowered by hand (agents.set_level), never
by a job, so an agent's rate cannot silently drop between two orders.

    upgrade_rules = {"match": "all" | "any",
                     "conditions": [{"kind": "direct_invites", "min": 10}, …]}
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from app.audit import services as audit
from app.audit.services import Actor
from app.core.errors import ValidationError
from app.core.labels import labels
from app.core.money import BASIS_POINTS
from app.distribution import team
from app.distribution.agent_models import Agent
from app.distribution.agents import paid_spend_fen
from app.distribution.commission_models import BUCKETS, CommissionLine
from app.distribution.ledger import account_of
from app.distribution.settings_models import AgentLevel
from app.distribution.states import AgentStatus
from app.extensions import db
from app.orders.models import OrderItem


class UpgradeCondition(StrEnum):
    DIRECT_INVITES = "direct_invites"
    TEAM_SIZE = "team_size"
    OWN_SPEND_FEN = "own_spend_fen"
    TEAM_SALES_FEN = "team_sales_fen"
    COMMISSION_FEN = "commission_fen"


UPGRADE_CONDITION_LABELS = labels(UpgradeCondition, {
    UpgradeCondition.DIRECT_INVITES: _l("Direct invites"), UpgradeCondition.TEAM_SIZE: _l("Team size"),
    UpgradeCondition.OWN_SPEND_FEN: _l("Own spend"), UpgradeCondition.TEAM_SALES_FEN: _l("Team sales"),
    UpgradeCondition.COMMISSION_FEN: _l("Commission earned"),
})


class UpgradeMatch(StrEnum):
    ALL = "all"
    ANY = "any"


UPGRADE_MATCH_LABELS = labels(UpgradeMatch, {UpgradeMatch.ALL: _l("All of"), UpgradeMatch.ANY: _l("Any of")})
CONDITIONS = tuple(UpgradeCondition)


def check_rules(rules: Any) -> dict[str, str]:
    if rules in (None, {}):
        return {}
    if not isinstance(rules, dict) or rules.get("match", "all") not in ("all", "any") or not isinstance(
            rules.get("conditions"), list):
        return {"upgrade_rules": _("Choose all or any, and at least one condition.")}
    for condition in rules["conditions"]:
        if (not isinstance(condition, dict) or condition.get("kind") not in CONDITIONS
                or not isinstance(condition.get("min"), int) or condition["min"] < 0):
            return {"upgrade_rules": _("Each condition needs a kind and a minimum of at least 0.")}
    return {}


def save_level(actor: Actor, level: AgentLevel | None, *, name: str, rank: int, rates: list[int | None],
               upgrade_rules: dict | None = None) -> AgentLevel:
    name = (name or "").strip()
    fields: dict[str, str] = {}
    if not name or len(name) > 32:
        fields["name"] = _("Enter a name of at most 32 characters.")
    clash = db.session.scalar(select(AgentLevel).where(AgentLevel.name == name))
    if clash is not None and clash is not level:
        fields["name"] = _("This name is taken.")
    if len(rates) != 3 or any(rate is not None and not 0 <= rate <= BASIS_POINTS for rate in rates):
        fields["rates"] = _("Enter a rate from 0 to 100 percent.")
    fields.update(check_rules(upgrade_rules))
    if fields:
        raise ValidationError(_("Some fields are invalid."), fields=fields)
    before = _snapshot(level) if level else None
    if level is None:
        level = AgentLevel()
        db.session.add(level)
    level.name, level.rank, level.upgrade_rules = name, rank, upgrade_rules or {}
    level.rate1_bp, level.rate2_bp, level.rate3_bp = rates
    db.session.flush()
    audit.record(actor, area="distribution", action="level.save", target_type="agent_level", target_id=level.id,
                 summary=name, before=before, after=_snapshot(level))
    return level


def _snapshot(level: AgentLevel) -> dict[str, Any]:
    return {"name": level.name, "rank": level.rank, "rates": [level.rate1_bp, level.rate2_bp, level.rate3_bp],
            "upgrade_rules": level.upgrade_rules}


def numbers(user_id: int) -> dict[str, int]:
    """What the upgrade conditions measure, for one agent."""
    size = team.team_size(user_id)
    paying = select(CommissionLine).where(CommissionLine.beneficiary_user_id == user_id, CommissionLine.level >= 1)
    sales = db.session.scalar(select(func.coalesce(func.sum(OrderItem.paid_fen - OrderItem.refunded_fen), 0))
                              .where(OrderItem.id.in_(paying.with_only_columns(CommissionLine.order_item_id))))
    # Commission earned (net of refunds) is the account's five buckets: every line's entries add
    # up to its net, and withdrawals only move money between buckets (see queries.summary).
    account = account_of(user_id)
    earned = sum(getattr(account, f"{bucket}_fen") for bucket in BUCKETS)
    return {"direct_invites": size.direct, "team_size": size.total, "own_spend_fen": paid_spend_fen(user_id),
            "team_sales_fen": int(sales or 0), "commission_fen": int(earned)}


def qualifies(level: AgentLevel, measured: dict[str, int]) -> bool:
    conditions = (level.upgrade_rules or {}).get("conditions") or []
    if not conditions:
        return False  # a level without conditions is set by hand only
    met = [measured[condition["kind"]] >= condition["min"] for condition in conditions]
    return any(met) if level.upgrade_rules.get("match") == "any" else all(met)


def consider_upgrade(user_id: int) -> AgentLevel | None:
    """Move an active agent up to the best level they now qualify for; the new level or None."""
    agent = db.session.scalar(select(Agent).where(Agent.user_id == user_id).with_for_update())
    if agent is None or agent.status != AgentStatus.ACTIVE:
        return None
    levels = list(db.session.scalars(select(AgentLevel).order_by(AgentLevel.rank.desc(), AgentLevel.id)))
    current = next((level for level in levels if level.id == agent.level_id), None)
    better = [level for level in levels if current is None or level.rank > current.rank]
    if not any((level.upgrade_rules or {}).get("conditions") for level in better):
        return None
    measured = numbers(user_id)
    for level in better:  # best first
        if qualifies(level, measured):
            agent.level_id = level.id
            audit.record(audit.SYSTEM, area="distribution", action="agent.upgrade", target_type="user",
                         target_id=user_id, summary=level.name, before={"level_id": current.id if current else None},
                         after={"level_id": level.id})
            db.session.flush()
            return level
    return None


def active_agent_ids(after_id: int = 0, limit: int = 500) -> list[int]:
    return list(db.session.scalars(select(Agent.user_id).where(Agent.status == AgentStatus.ACTIVE,
                                                               Agent.user_id > after_id)
                                   .order_by(Agent.user_id).limit(limit)))
