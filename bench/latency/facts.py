"""What the bench needs to know about the shop before it asks anything: the biggest agent,
a common name, an order number and a phone to search by, and the newest row of each list
(what page 1 must show). Read once, with SELECTs only (each bounded by an index or a
LIMIT, except the two GROUP BYs that find the biggest agent and the common name).

Besides reading, the bench writes one thing: its own console account (`ensure_staff`),
created or given a fresh password through the app's own staff functions.
"""

from __future__ import annotations

import secrets
import time
from collections import Counter
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from app.accounts import services as accounts
from app.accounts import staff as staff_accounts
from app.accounts.models import User
from app.audit.models import AuditEntry
from app.catalog.models import Product
from app.distribution.agent_models import Agent, AgentApplication, ReferralBinding
from app.distribution.commission_models import AgentAccount, CommissionEntry, CommissionLine
from app.distribution.withdrawal_models import Withdrawal
from app.extensions import db
from app.officialaccount.models import Fan
from app.orders.models import AfterSale, Order
from app.orders.states import OrderStatus

LINE_STATUSES = ("pending", "frozen", "available", "cancelled")  # what the agent's commission list filters by
NAME_SAMPLE = 200_000  # the common name is the most frequent receiver among this many newest orders
ACCOUNT_BUCKETS = ("pending_fen", "frozen_fen", "available_fen", "withdrawing_fen", "withdrawn_fen")


class EmptyShop(Exception):
    """The shop has no commission lines (or no orders): nothing to time."""


@dataclass
class Facts:
    agent_user_id: int
    agent_lines: int
    invite_code: str
    agent_active: bool
    account: dict[str, int]
    newest_line_id: int | None
    newest_line_by_status: dict[str, int | None]
    newest_promotion_order_id: int | None
    newest_team1_user_id: int | None
    has_team2: bool
    newest_agent_withdrawal_id: int | None
    newest_agent_entry_id: int | None
    common_name: str
    newest_order_no: str
    newest_order_phone: str
    middle_order_no: str
    newest_order_no_by_status: dict[str, str | None]
    newest_named_order_no: str | None
    newest_user_id: int
    phone_user: tuple[int, str] | None
    newest_agent_user_id: int | None
    newest_active_agent_user_id: int | None
    newest_entry_id: int | None
    newest_after_sale: tuple[str, str] | None  # (after-sale no, its order's no)
    newest_product: tuple[int, str, int] | None  # (id, title, category id)
    shelf_product_ids: list[int]
    newest_withdrawal_no: dict[str, str | None]  # by status, "all" for any
    has_pending_applications: bool
    has_fans: bool
    has_audit: bool
    seconds: dict[str, float] = field(default_factory=dict)


def _one(statement):
    return db.session.execute(statement.limit(1)).first()


def _scalar(statement):
    return db.session.scalar(statement.limit(1))


def gather() -> Facts:
    """Inside an app context on the shop's database."""
    seconds: dict[str, float] = {}
    mark = time.perf_counter()
    biggest = _one(select(CommissionLine.beneficiary_user_id, func.count().label("lines"))
                   .where(CommissionLine.beneficiary_user_id.is_not(None))
                   .group_by(CommissionLine.beneficiary_user_id).order_by(func.count().desc()))
    if biggest is None:
        raise EmptyShop("the shop has no commission lines: build one with `python -m bench.scale`")
    agent_user_id, agent_lines = biggest
    seconds["biggest agent"] = time.perf_counter() - mark
    agent = db.session.scalar(select(Agent).where(Agent.user_id == agent_user_id))
    account_row = db.session.get(AgentAccount, agent_user_id)
    account = {bucket: getattr(account_row, bucket) if account_row else 0 for bucket in ACCOUNT_BUCKETS}
    mine = (CommissionLine.beneficiary_user_id == agent_user_id, CommissionLine.amount_fen > 0)
    newest_line = select(CommissionLine.id).where(*mine).order_by(CommissionLine.id.desc())
    upper = aliased(ReferralBinding)

    mark = time.perf_counter()
    newest = _one(select(Order.id, Order.order_no, Order.receiver_phone).order_by(Order.id.desc()))
    if newest is None:
        raise EmptyShop("the shop has no orders")
    names = Counter(db.session.scalars(select(Order.receiver_name).where(Order.id > newest.id - NAME_SAMPLE)))
    common_name = names.most_common(1)[0][0]
    seconds["common name"] = time.perf_counter() - mark
    phone_user = _one(select(User.id, User.phone).where(User.phone.is_not(None)).order_by(User.id.desc()))
    after_sale = _one(select(AfterSale.after_sale_no, Order.order_no).join(Order, Order.id == AfterSale.order_id)
                      .order_by(AfterSale.id.desc()))
    newest_agent = _one(select(Agent.user_id).order_by(Agent.id.desc()))
    newest_active_agent = _one(select(Agent.user_id).where(Agent.status == "active").order_by(Agent.id.desc()))
    withdrawal_nos = {status: _scalar(select(Withdrawal.withdrawal_no).where(Withdrawal.status == status)
                                      .order_by(Withdrawal.id.desc()))
                      for status in ("reviewing", "paid")}
    product = _one(select(Product.id, Product.title, Product.category_id).where(Product.deleted_at.is_(None))
                   .order_by(Product.id.desc()))
    withdrawal_nos["all"] = _scalar(select(Withdrawal.withdrawal_no).order_by(Withdrawal.id.desc()))
    return Facts(
        agent_user_id=agent_user_id, agent_lines=agent_lines,
        invite_code=agent.invite_code if agent else "", agent_active=bool(agent and agent.status == "active"),
        account=account,
        newest_line_id=_scalar(newest_line),
        newest_line_by_status={status: _scalar(newest_line.where(CommissionLine.status == status))
                               for status in LINE_STATUSES},
        newest_promotion_order_id=db.session.scalar(select(func.max(CommissionLine.order_id)).where(*mine)),
        newest_team1_user_id=_scalar(select(ReferralBinding.user_id)
                                     .where(ReferralBinding.referrer_user_id == agent_user_id)
                                     .order_by(ReferralBinding.bound_at.desc(), ReferralBinding.user_id.desc())),
        has_team2=_scalar(select(ReferralBinding.user_id).join(upper, upper.user_id == ReferralBinding.referrer_user_id)
                          .where(upper.referrer_user_id == agent_user_id)) is not None,
        newest_agent_withdrawal_id=_scalar(select(Withdrawal.id).where(Withdrawal.user_id == agent_user_id)
                                           .order_by(Withdrawal.id.desc())),
        newest_agent_entry_id=_scalar(select(CommissionEntry.id).where(CommissionEntry.agent_user_id == agent_user_id)
                                      .order_by(CommissionEntry.id.desc())),
        common_name=common_name,
        newest_order_no=newest.order_no, newest_order_phone=newest.receiver_phone,
        middle_order_no=_scalar(select(Order.order_no).where(Order.id >= newest.id // 2).order_by(Order.id)),
        newest_order_no_by_status={status.value: _scalar(select(Order.order_no).where(Order.status == status)
                                                         .order_by(Order.id.desc())) for status in OrderStatus},
        newest_named_order_no=_scalar(select(Order.order_no).where(Order.receiver_name == common_name)
                                      .order_by(Order.id.desc())),
        newest_user_id=db.session.scalar(select(func.max(User.id))),
        phone_user=tuple(phone_user) if phone_user else None,
        newest_agent_user_id=newest_agent[0] if newest_agent else None,
        newest_active_agent_user_id=newest_active_agent[0] if newest_active_agent else None,
        newest_entry_id=db.session.scalar(select(func.max(CommissionEntry.id))),
        newest_after_sale=tuple(after_sale) if after_sale else None,
        newest_product=tuple(product) if product else None,
        shelf_product_ids=list(db.session.scalars(select(Product.id).where(
            Product.deleted_at.is_(None), Product.is_on_shelf.is_(True)).order_by(Product.id).limit(20))),
        newest_withdrawal_no=withdrawal_nos,
        has_pending_applications=_scalar(select(AgentApplication.id).where(AgentApplication.status == "pending"))
        is not None,
        has_fans=_scalar(select(Fan.id)) is not None,
        has_audit=_scalar(select(AuditEntry.id)) is not None,
        seconds=seconds,
    )


def ensure_staff(username: str) -> str:
    """The bench's own console account (an owner, so it sees every page), created through the
    app's staff functions if it does not exist, else given a fresh password; returns the password."""
    password = secrets.token_urlsafe(18)
    if staff_accounts.find_staff(username) is None:
        staff_accounts.create_staff(username, password, role="owner", display_name="scale bench")
    else:
        staff_accounts.set_staff_password(username, password)
    db.session.commit()
    return password


def agent_token(user_id: int) -> str:
    """The bearer token the mini-program would hold after logging in as this shopper, minted
    with the app's own token function (the generated shoppers have no sandbox dev name)."""
    user = db.session.get(User, user_id)
    token = accounts.token_for(user)
    db.session.rollback()
    return token
