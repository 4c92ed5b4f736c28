"""Dashboard figures over today / 7 / 30 days (Beijing calendar days), and daily trends.

What each figure means — every one is read from the source rows, as they stand now:

- Sales (销售额): what was received for orders paid in the range (cash on delivery once
  collected) less what has been refunded on them since; orders: how many were paid.
- New shoppers: accounts created in the range. New agents: shoppers who became agents in
  the range (a re-appointment keeps the first date) and are agents still (not removed).
- Commission accrued: the commission of the orders paid in the range, net of what refunds
  took back from it (cancelled while pending or frozen, clawed back once withdrawable) — what
  those orders will cost the shop in commission. Same days as sales, so the two compare.
- Commission settled: the commission released to the agents' withdrawable balance in the
  range (frozen → available, once the order's freeze days are over), net of what refunds
  clawed back from it afterwards.
- Pending withdrawals: withdrawals the shop still has to handle, whatever the range — under
  review, approved and waiting to be paid by hand, or paying through WeChat — and their amount.

The trends give one point per Beijing day: sales and accrued commission by the day the order
was paid, new shoppers by the day they arrived. Each figure is one indexed query over the
range (orders by paid_at, entries by kind and time, users and agents by creation); a later
issue moves them onto rollup tables.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import Date, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement, Select

from app.accounts.models import User
from app.catalog.models import Product, Sku
from app.core.china_time import day_start_utc, to_beijing
from app.core.models import utcnow
from app.distribution.agent_models import Agent
from app.distribution.commission_models import CommissionEntry, CommissionLine
from app.distribution.ledger import EntryKind
from app.distribution.states import AgentStatus, WithdrawalStatus
from app.distribution.withdrawal_models import Withdrawal
from app.extensions import db
from app.orders.models import Order
from app.orders.states import OrderStatus

RANGES = {"today": 1, "7d": 7, "30d": 30}

# Still the shop's to handle: review, pay by hand (approved), or wait for WeChat's transfer.
OPEN_WITHDRAWALS = (WithdrawalStatus.REVIEWING, WithdrawalStatus.APPROVED, WithdrawalStatus.PAYING)

# What a commission line still pays once refunds have taken their share back.
NET_COMMISSION = CommissionLine.amount_fen - CommissionLine.cancelled_fen - CommissionLine.clawed_back_fen


class beijing_day(FunctionElement):
    """The Beijing calendar day of a naive-UTC timestamp column (str() gives YYYY-MM-DD)."""

    type = Date()
    inherit_cache = True


@compiles(beijing_day)
def _beijing_day_default(element, compiler, **kw):
    return f"DATE(DATE_ADD({compiler.process(element.clauses, **kw)}, INTERVAL 8 HOUR))"


@compiles(beijing_day, "sqlite")
def _beijing_day_sqlite(element, compiler, **kw):
    return f"date({compiler.process(element.clauses, **kw)}, '+8 hours')"


@dataclass
class Figures:
    sales_fen: int = 0
    orders: int = 0
    new_shoppers: int = 0
    new_agents: int = 0
    commission_accrued_fen: int = 0
    commission_settled_fen: int = 0


@dataclass
class Dashboard:
    range_key: str
    figures: Figures
    pending_withdrawals: int
    pending_withdrawal_fen: int
    awaiting_shipment: int
    low_stock_skus: int
    days: list[str] = field(default_factory=list)
    sales_trend_fen: list[int] = field(default_factory=list)
    commission_trend_fen: list[int] = field(default_factory=list)
    shopper_trend: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Window:
    """Beijing days [first, last] as naive-UTC bounds [since, until)."""

    first: date
    last: date

    @property
    def since(self) -> datetime:
        return day_start_utc(self.first)

    @property
    def until(self) -> datetime:
        return day_start_utc(self.last + timedelta(days=1))

    def holds(self, moment: ColumnElement) -> ColumnElement:
        return (moment >= self.since) & (moment < self.until)

    def days(self) -> list[date]:
        return [self.first + timedelta(days=offset) for offset in range((self.last - self.first).days + 1)]


def build_dashboard(range_key: str = "today", now: datetime | None = None) -> Dashboard:
    range_key = range_key if range_key in RANGES else "today"
    today = to_beijing(now or utcnow()).date()
    window = Window(today - timedelta(days=RANGES[range_key] - 1), today)
    trend = Window(today - timedelta(days=max(RANGES[range_key], 7) - 1), today)
    pending_count, pending_fen = db.session.execute(
        select(func.count(), func.coalesce(func.sum(Withdrawal.amount_fen), 0))
        .where(Withdrawal.status.in_(OPEN_WITHDRAWALS))).one()
    days = trend.days()
    return Dashboard(
        range_key=range_key, figures=figures(window),
        pending_withdrawals=pending_count, pending_withdrawal_fen=int(pending_fen),
        awaiting_shipment=db.session.scalar(
            select(func.count()).select_from(Order).where(Order.status == OrderStatus.PAID)) or 0,
        low_stock_skus=_low_stock_skus(),
        days=[day.strftime("%m-%d") for day in days],
        sales_trend_fen=_per_day(days, _sales(), Order.paid_at),
        commission_trend_fen=_per_day(days, _accrued(), Order.paid_at),
        shopper_trend=_per_day(days, select(func.count(User.id)), User.created_at),
    )


def figures(window: Window) -> Figures:
    sales_fen, orders = db.session.execute(
        _sales().add_columns(func.count()).where(window.holds(Order.paid_at))).one()
    return Figures(
        sales_fen=int(sales_fen or 0), orders=orders,
        new_shoppers=db.session.scalar(select(func.count(User.id)).where(window.holds(User.created_at))) or 0,
        new_agents=db.session.scalar(select(func.count(Agent.id)).where(
            window.holds(Agent.became_at), Agent.status != AgentStatus.REMOVED)) or 0,
        commission_accrued_fen=int(db.session.scalar(_accrued().where(window.holds(Order.paid_at))) or 0),
        commission_settled_fen=int(db.session.scalar(_settled().where(window.holds(CommissionEntry.created_at))) or 0),
    )


def _sales() -> Select:
    return select(func.sum(Order.paid_fen - Order.refunded_fen))


def _accrued() -> Select:
    return select(func.sum(NET_COMMISSION)).select_from(Order).join(CommissionLine,
                                                                    CommissionLine.order_id == Order.id)


def _settled() -> Select:
    """Lines by the time of their release entry (one per line: frozen → available)."""
    return (select(func.sum(NET_COMMISSION)).select_from(CommissionEntry)
            .join(CommissionLine, CommissionLine.id == CommissionEntry.line_id)
            .where(CommissionEntry.kind == EntryKind.RELEASE))


def _low_stock_skus() -> int:
    return db.session.scalar(
        select(func.count()).select_from(Sku).join(Product, Sku.product_id == Product.id)
        .where(Product.deleted_at.is_(None), Product.is_on_shelf.is_(True),
               Sku.stock <= Product.stock_alert_threshold)) or 0


def _per_day(days: list[date], aggregate: Select, moment: ColumnElement) -> list[int]:
    """The one-column `aggregate` for each Beijing day of `moment`, in one grouped query
    (0 for a day without rows)."""
    day = beijing_day(moment)
    window = Window(days[0], days[-1])
    found = {str(key): value or 0 for value, key in db.session.execute(
        aggregate.add_columns(day).where(window.holds(moment)).group_by(day))}
    return [int(found.get(one.isoformat(), 0)) for one in days]
