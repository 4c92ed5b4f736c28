"""The console's list of agents: newest first, by status, and found by what a merchant has in
hand — a member ID, a phone number or an invite code (exact), or the start of a nickname
(张 finds 张伟 and 张小花). Each is an index look-up; a nickname is never searched for in the
middle (that reads every shopper). The figures on each row are the agent's own rows: the
account (buckets) and the team counters, one primary-key read each."""

from __future__ import annotations

import re

from sqlalchemy import Select, select

from app.accounts.models import User
from app.distribution.agent_models import Agent, TeamCounter
from app.distribution.commission_models import AgentAccount
from app.distribution.states import AgentStatus
from app.extensions import db

INVITE_CODE = re.compile(r"^[A-Za-z0-9]{6,8}$")
MAX_ID = 2**31 - 1


def exact_matches(keyword: str) -> set[int]:
    """User ids the keyword names exactly: as a member ID, a phone number or an invite code."""
    found: set[int] = set()
    if keyword.isdigit():
        if int(keyword) <= MAX_ID and db.session.get(User, int(keyword)) is not None:
            found.add(int(keyword))
        found |= set(db.session.scalars(select(User.id).where(User.phone == keyword)))
    if INVITE_CODE.match(keyword):
        found |= set(db.session.scalars(select(Agent.user_id).where(Agent.invite_code == keyword)))
    return found


def agent_ids(keyword: str = "", status: str = "") -> Select:
    """The ids of the agents shown, newest first (a unique order): the agents table alone, or
    joined to the shoppers' nickname index for a nickname's start."""
    statement = select(Agent.id).order_by(Agent.id.desc())
    keyword = keyword.strip()
    if keyword:
        exact = exact_matches(keyword)
        if exact:
            statement = statement.where(Agent.user_id.in_(exact))
        else:
            statement = statement.join(User, User.id == Agent.user_id).where(
                User.nickname.startswith(keyword, autoescape=True))
    if status in tuple(AgentStatus):
        statement = statement.where(Agent.status == status)
    return statement


def agent_rows(agent_ids: list[int]) -> list:
    """(Agent, User, TeamCounter, AgentAccount) for a page of agent ids, in the page's order."""
    if not agent_ids:
        return []
    rows = db.session.execute(
        select(Agent, User, TeamCounter, AgentAccount).join(User, User.id == Agent.user_id)
        .outerjoin(TeamCounter, TeamCounter.user_id == Agent.user_id)
        .outerjoin(AgentAccount, AgentAccount.user_id == Agent.user_id).where(Agent.id.in_(agent_ids))).all()
    order = {agent_id: index for index, agent_id in enumerate(agent_ids)}
    return sorted(rows, key=lambda row: order[row[0].id])
