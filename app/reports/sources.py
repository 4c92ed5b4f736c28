"""The dashboard's figures computed from the source rows, over any range of Beijing days.

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

Each figure is one indexed range query (orders by paid_at, entries by kind and time, users
and agents by creation). The rollup job runs them over one day at a time
(app/reports/rollups.py); the tests run them over whole ranges, as the dashboard once did on
every request, to check the rollups against them. Every figure is a sum over rows bucketed
by one timestamp, so a range's figure is the sum of its days'.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta

from sqlalchemy import Date, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement, Select

from app.accounts.models import User
from app.core.china_time import day_start_utc, to_beijing
from app.distribution.agent_models import Agent
from app.distribution.commission_models import CommissionEntry, CommissionLine
from app.distribution.ledger import EntryKind
from app.distribution.states import AgentStatus
from app.extensions import db
from app.orders.models import Order

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

    def __add__(self, other: Figures) -> Figures:
        return Figures(**{one.name: getattr(self, one.name) + getattr(other, one.name) for one in fields(self)})


FIGURES = tuple(one.name for one in fields(Figures))


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


def figures(window: Window) -> Figures:
    """Every figure over the window, from the source rows (six indexed range queries)."""
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


def earliest_day() -> date | None:
    """The first Beijing day any figure has a row on (each a MIN over an index), or None."""
    firsts = [db.session.scalar(statement) for statement in (
        select(func.min(Order.paid_at)), select(func.min(User.created_at)), select(func.min(Agent.became_at)),
        select(func.min(CommissionEntry.created_at)).where(CommissionEntry.kind == EntryKind.RELEASE))]
    found = [moment for moment in firsts if moment is not None]
    return to_beijing(min(found)).date() if found else None


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
