"""What an agent sees of their own distribution: a summary, their commission lines, their
team by level, their withdrawals. Every query is scoped by the agent's own user id."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select

from app.accounts.models import User
from app.core.china_time import to_beijing
from app.core.models import utcnow
from app.distribution import rollups, team
from app.distribution.agent_models import Agent, BindingEvent, ReferralBinding
from app.distribution.commission_models import CommissionLine
from app.distribution.explain import explain
from app.distribution.ledger import account_of
from app.distribution.rollup_models import Span
from app.distribution.settings_models import AgentLevel
from app.distribution.states import LineStatus
from app.distribution.withdrawal_models import Withdrawal
from app.extensions import db
from app.orders.models import Order, OrderItem

SHOWN_STATUSES = ("pending", "frozen", "available", "cancelled")


def summary(user_id: int) -> dict[str, Any]:
    """Status, invite code, level, the account's buckets (available among them), commission
    today and in all by line status (net of refunds), and the team's size by level — read from
    rows kept for it (agent, account, rollup of today, team counters), whatever the agent's
    number of lines.

    In all, from the account: every line's entries sit in the bucket of its status and add up
    to its net (`flask distribution verify`), and a withdrawal only moves money on from
    available to withdrawing and withdrawn, so by status pending = the pending bucket, frozen =
    the frozen bucket, available = available + withdrawing + withdrawn; a cancelled line has
    nothing left (net 0); the total is the sum of the five buckets. Today, from the rollup of
    the lines created today, which keeps the same figures for them."""
    agent = db.session.scalar(select(Agent).where(Agent.user_id == user_id))
    account = account_of(user_id)
    size = team.team_size(user_id)
    today = rollups.today_of(user_id)
    by_status = {"pending": account.pending_fen, "frozen": account.frozen_fen,
                 "available": account.available_fen + account.withdrawing_fen + account.withdrawn_fen,
                 "cancelled": 0}
    today_by_status = {"pending": today["pending_fen"], "frozen": today["frozen_fen"],
                       "available": today["available_fen"], "cancelled": 0}
    level = db.session.get(AgentLevel, agent.level_id) if agent and agent.level_id else None
    return {
        "is_agent": agent is not None and agent.status == "active",
        "agent_status": agent.status if agent else None,
        "invite_code": agent.invite_code if agent else None,
        "level": level.name if level else None,
        "account": {"pending_fen": account.pending_fen, "frozen_fen": account.frozen_fen,
                    "available_fen": account.available_fen, "withdrawing_fen": account.withdrawing_fen,
                    "withdrawn_fen": account.withdrawn_fen},
        "commission": {"total_fen": sum(by_status.values()), "today_fen": today["net_fen"],
                       "by_status": by_status, "today_by_status": today_by_status},
        "team": {"level1": size.direct, "level2": size.second, "total": size.total},
    }


def commission_lines(user_id: int, status: str | None = None) -> Select:
    """The agent's paying lines, newest order first (a unique order, so pages can follow on
    from the last row): read down (beneficiary, order_id, id, amount_fen), or, for one of the
    paying statuses, (beneficiary, status, order_id) — a line is paying exactly when its
    status is not `none` (accrual gives a zero amount the reason `zero_amount`), so there the
    amount needs no check and the pager's count reads the index alone."""
    statement = (select(CommissionLine).where(CommissionLine.beneficiary_user_id == user_id)
                 .order_by(CommissionLine.order_id.desc(), CommissionLine.id.desc()))
    if status:
        if status == LineStatus.NONE:
            raise ValueError("lines of status none pay nothing: not in the agent's list")
        return statement.where(CommissionLine.status == status)
    return statement.where(CommissionLine.amount_fen > 0)


def commissions_out(lines: list[CommissionLine]) -> list[dict[str, Any]]:
    if not lines:
        return []
    order_nos = dict(db.session.execute(select(Order.id, Order.order_no)
                                        .where(Order.id.in_({line.order_id for line in lines}))).all())
    titles = dict(db.session.execute(select(OrderItem.id, OrderItem.title)
                                     .where(OrderItem.id.in_({line.order_item_id for line in lines}))).all())
    return [{"id": line.id, "order_id": line.order_id, "order_no": order_nos.get(line.order_id, ""),
             "title": titles.get(line.order_item_id, ""), "level": line.level, "amount_fen": line.amount_fen,
             "net_fen": line.amount_fen - line.cancelled_fen - line.clawed_back_fen, "status": line.status,
             "frozen_until": line.frozen_until, "created_at": line.created_at} for line in lines]


def team_members(user_id: int, level: int) -> Select:
    """Level 1: shoppers bound to the agent; level 2: shoppers bound to those (each binding
    keeps its grand referrer). Newest first, down (referrer or grand referrer, bound_at)."""
    who = ReferralBinding.referrer_user_id if level == 1 else ReferralBinding.grand_referrer_user_id
    return (select(ReferralBinding).where(who == user_id)
            .order_by(ReferralBinding.bound_at.desc(), ReferralBinding.user_id.desc()))


def team_out(bindings: list[ReferralBinding]) -> list[dict[str, Any]]:
    ids = [binding.user_id for binding in bindings]
    if not ids:
        return []
    names = dict(db.session.execute(select(User.id, User.nickname).where(User.id.in_(ids))).all())
    totals = {user: (count, spent) for user, count, spent in db.session.execute(
        select(Order.user_id, func.count(Order.id), func.sum(Order.paid_fen - Order.refunded_fen))
        .where(Order.user_id.in_(ids), Order.paid_at.is_not(None)).group_by(Order.user_id))}
    return [{"user_id": binding.user_id, "nickname": names.get(binding.user_id, ""), "bound_at": binding.bound_at,
             "orders": int(totals.get(binding.user_id, (0, 0))[0]),
             "spend_fen": int(totals.get(binding.user_id, (0, 0))[1] or 0)}
            for binding in bindings]


def binding_history(user_id: int, limit: int) -> list[BindingEvent]:
    """The latest binding events about a shopper: their own binds and those to them. Two
    reads down (user_id, id) and (referrer_user_id, id), merged here: one query with OR would
    sort every event of a big team."""
    events = [*db.session.scalars(select(BindingEvent).where(BindingEvent.user_id == user_id)
                                  .order_by(BindingEvent.id.desc()).limit(limit)),
              *db.session.scalars(select(BindingEvent).where(BindingEvent.referrer_user_id == user_id)
                                  .order_by(BindingEvent.id.desc()).limit(limit))]
    unique = {event.id: event for event in events}
    return [unique[event_id] for event_id in sorted(unique, reverse=True)[:limit]]


def withdrawals_of(user_id: int) -> Select:
    return select(Withdrawal).where(Withdrawal.user_id == user_id).order_by(Withdrawal.id.desc())


def withdrawal_out(row: Withdrawal) -> dict[str, Any]:
    return {"id": row.id, "withdrawal_no": row.withdrawal_no, "method": row.method, "amount_fen": row.amount_fen,
            "fee_fen": row.fee_fen, "net_fen": row.net_fen, "status": row.status,
            "reject_reason": row.reject_reason, "created_at": row.created_at, "paid_at": row.paid_at}


def explain_for(user_id: int, order_id: int) -> list[dict[str, Any]] | None:
    """The order's commission as the agent may see it: only their own lines; None when they
    have none in this order (the order is not theirs to see)."""
    items = explain(order_id)
    for item in items:
        item["lines"] = [line for line in item["lines"] if line["beneficiary_user_id"] == user_id]
    return items if any(item["lines"] for item in items) else None


def rankings(by: str, period: str, limit: int = 20) -> list[dict[str, Any]]:
    """Top agents this Beijing week or month, by commission earned on the lines created in it
    (net of refunds) or by new shoppers bound to them; nicknames only, for the agents'
    leaderboard. Read from the week's or month's rollups: the top of an index, not a sum."""
    today = to_beijing(utcnow()).date()
    span = Span.MONTH if period == "month" else Span.WEEK
    rows = rollups.top(by, span, rollups.span_start(span, today), limit)
    names = dict(db.session.execute(select(User.id, User.nickname).where(User.id.in_([row[0] for row in rows])))
                 .all()) if rows else {}
    return [{"rank": index, "user_id": user_id, "nickname": names.get(user_id, ""), "value": value}
            for index, (user_id, value) in enumerate(rows, start=1)]
