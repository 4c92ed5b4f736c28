"""More of what the mini-program's distribution centre shows an agent: the orders that paid
them commission (buyers' nicknames masked), the withdrawal form's rules, and where their
application to become an agent stands. Every query is scoped by the agent's own user id."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select

from app.accounts.models import User
from app.core.china_time import day_start_utc, to_beijing
from app.core.keyset import seek_with_index
from app.core.models import utcnow
from app.distribution.agent_models import Agent, AgentApplication
from app.distribution.commission_models import CommissionLine
from app.distribution.ledger import account_of
from app.distribution.settings import current
from app.distribution.states import LineStatus
from app.distribution.withdrawal_models import Withdrawal
from app.extensions import db
from app.orders.models import Order

# The least advanced status of an order's lines is the order's commission status.
PROGRESS = (LineStatus.PENDING, LineStatus.FROZEN, LineStatus.AVAILABLE, LineStatus.CANCELLED)


def mask(nickname: str | None) -> str:
    """小明 → 小*, alice → a***e: enough for an agent to recognise a friend, not to find a stranger."""
    name = (nickname or "").strip()
    if len(name) <= 1:
        return (name or "*") + "*"
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * min(len(name) - 2, 3) + name[-1]


def promotion_order_ids(user_id: int) -> Select:
    """Orders with at least one line paying the agent, newest first (one row per order).

    Read down (beneficiary_user_id, order_id, id, amount_fen), so both the page and the pager's capped count
    group the agent's lines as the index yields them and stop early; left to itself, MariaDB
    grouped all of the biggest agent's 450k lines in a temporary table for the count (0.5 s
    alone, seconds under load) where the index read takes 50 ms."""
    return seek_with_index(
        select(CommissionLine.order_id)
        .where(CommissionLine.beneficiary_user_id == user_id, CommissionLine.amount_fen > 0)
        .group_by(CommissionLine.order_id).order_by(CommissionLine.order_id.desc()),
        CommissionLine, "ix_commission_lines_beneficiary_order_amount")


def promotion_orders_out(user_id: int, order_ids: list[int]) -> list[dict[str, Any]]:
    if not order_ids:
        return []
    net = CommissionLine.amount_fen - CommissionLine.cancelled_fen - CommissionLine.clawed_back_fen
    orders = {row.id: row for row in db.session.execute(
        select(Order.id, Order.order_no, Order.status, Order.paid_fen, Order.refunded_fen, Order.paid_at,
               User.nickname).join(User, User.id == Order.user_id).where(Order.id.in_(order_ids)))}
    commission: dict[int, dict[str, Any]] = {}
    for order_id, status, level, amount, kept in db.session.execute(
            select(CommissionLine.order_id, CommissionLine.status, CommissionLine.level, CommissionLine.amount_fen, net)
            .where(CommissionLine.beneficiary_user_id == user_id, CommissionLine.amount_fen > 0,
                   CommissionLine.order_id.in_(order_ids))):
        row = commission.setdefault(order_id, {"amount": 0, "net": 0, "statuses": set(), "levels": set()})
        row["amount"] += amount
        row["net"] += kept
        row["statuses"].add(status)
        row["levels"].add(level)
    out = []
    for order_id in order_ids:
        order, mine = orders.get(order_id), commission.get(order_id)
        if order is None or mine is None:
            continue
        out.append({"order_id": order.id, "order_no": order.order_no, "buyer_nickname": mask(order.nickname),
                    "order_status": order.status, "paid_fen": order.paid_fen, "refunded_fen": order.refunded_fen,
                    "paid_at": order.paid_at, "levels": sorted(mine["levels"]), "commission_fen": mine["amount"],
                    "commission_net_fen": mine["net"],
                    "commission_status": next(status for status in PROGRESS if status in mine["statuses"])})
    return out


def withdrawal_config(user_id: int) -> dict[str, Any]:
    """What the withdrawal form needs: methods, limits, fee, today's count left, what is available."""
    settings = current()
    start = day_start_utc(to_beijing(utcnow()).date())
    today = db.session.scalar(select(func.count()).select_from(Withdrawal).where(
        Withdrawal.user_id == user_id, Withdrawal.created_at >= start)) or 0
    user = db.session.get(User, user_id)
    return {"methods": list(settings.withdraw_methods), "min_fen": settings.withdraw_min_fen,
            "max_fen": settings.withdraw_max_fen, "fee_bp": settings.withdraw_fee_bp,
            "fee_free_methods": ["balance"], "daily_limit": settings.withdraw_daily_limit,
            "today_left": max(0, settings.withdraw_daily_limit - today),
            "auto_approve_below_fen": settings.withdraw_auto_below_fen,
            "available_fen": account_of(user_id).available_fen,
            "wechat_ready": bool(user is not None and user.mp_openid)}


def application_status(user_id: int) -> dict[str, Any]:
    """Where the shopper stands: already an agent, waiting, rejected (with the reason), or free to apply."""
    settings = current()
    agent = db.session.scalar(select(Agent).where(Agent.user_id == user_id))
    latest = db.session.scalar(select(AgentApplication).where(AgentApplication.user_id == user_id)
                               .order_by(AgentApplication.id.desc()).limit(1))
    if agent is not None and agent.status == "active":
        status = "agent"
    elif agent is not None:
        status = agent.status  # disabled | removed: only the shop brings them back
    elif latest is not None and latest.status in ("pending", "rejected"):
        status = latest.status
    else:
        status = "none"
    return {"status": status, "become_agent": settings.become_agent,
            "can_apply": status in ("none", "rejected") and settings.become_agent in ("apply", "auto"),
            "become_spend_fen": settings.become_spend_fen if settings.become_agent == "spend" else None,
            "become_product_ids": list(settings.become_product_ids) if settings.become_agent == "product" else [],
            "application": None if latest is None else {
                "id": latest.id, "status": latest.status, "reject_reason": latest.reject_reason,
                "created_at": latest.created_at, "reviewed_at": latest.reviewed_at}}
