"""Dashboard figures over today / 7 / 30 days, and daily trends for the charts.

Sales are what was received for orders paid in the range (cash on delivery once
collected) less what was refunded on them; each trend is one grouped query by Beijing day.
Areas that later issues fill (commissions, withdrawals) are zero until their tables exist,
never invented.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Date, func, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement, FunctionElement

from app.accounts.models import User
from app.catalog.models import Product, Sku
from app.core.china_time import day_start_utc
from app.core.models import utcnow
from app.extensions import db
from app.orders.models import Order
from app.orders.states import OrderStatus

RANGES = {"today": 1, "7d": 7, "30d": 30}

# China Standard Time: the merchant's "today" starts at midnight in Beijing, not in UTC.
CST_OFFSET = timedelta(hours=8)


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
    awaiting_shipment: int
    low_stock_skus: int
    days: list[str] = field(default_factory=list)
    sales_trend_fen: list[int] = field(default_factory=list)
    commission_trend_fen: list[int] = field(default_factory=list)
    shopper_trend: list[int] = field(default_factory=list)


def build_dashboard(range_key: str = "today", now: datetime | None = None) -> Dashboard:
    days_back = RANGES.get(range_key, 1)
    now = now or utcnow()
    today_local = (now + CST_OFFSET).date()
    first_day = today_local - timedelta(days=days_back - 1)
    since = day_start_utc(first_day)

    sales_fen, orders = db.session.execute(
        select(func.coalesce(func.sum(Order.paid_fen - Order.refunded_fen), 0), func.count())
        .where(Order.paid_at >= since)).one()
    figures = Figures(sales_fen=int(sales_fen), orders=orders, new_shoppers=db.session.scalar(
        select(func.count()).select_from(User).where(User.created_at >= since)) or 0)
    low_stock = db.session.scalar(
        select(func.count()).select_from(Sku).join(Product, Sku.product_id == Product.id)
        .where(Product.deleted_at.is_(None), Product.is_on_shelf.is_(True),
               Sku.stock <= Product.stock_alert_threshold)) or 0
    awaiting = db.session.scalar(select(func.count()).select_from(Order).where(Order.status == OrderStatus.PAID))

    trend_days = [first_day + timedelta(days=i) for i in range(max(days_back, 7))] if days_back > 1 else \
        [today_local - timedelta(days=6 - i) for i in range(7)]
    trend_since = day_start_utc(trend_days[0])
    sales_by_day = _by_beijing_day(Order.paid_at, func.sum(Order.paid_fen - Order.refunded_fen), trend_since)
    shoppers_by_day = _by_beijing_day(User.created_at, func.count(User.id), trend_since)
    keys = [day.isoformat() for day in trend_days]
    return Dashboard(
        range_key=range_key if range_key in RANGES else "today", figures=figures,
        pending_withdrawals=0, awaiting_shipment=awaiting or 0, low_stock_skus=low_stock,
        days=[day.strftime("%m-%d") for day in trend_days],
        sales_trend_fen=[int(sales_by_day.get(key, 0)) for key in keys],
        commission_trend_fen=[0] * len(trend_days),
        shopper_trend=[int(shoppers_by_day.get(key, 0)) for key in keys],
    )


def _by_beijing_day(moment: ColumnElement, aggregate: ColumnElement, since: datetime) -> dict[str, int]:
    """`aggregate` per Beijing day of `moment` since `since`, in one grouped query."""
    day = beijing_day(moment)
    return {str(key): value or 0 for key, value in
            db.session.execute(select(day, aggregate).where(moment >= since).group_by(day))}
