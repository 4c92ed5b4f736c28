"""Dashboard figures over today / 7 / 30 days, and daily trends for the charts.

Areas that later issues fill (orders, commissions, withdrawals) are counted from their
tables once those exist; until then they are zero, never invented.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from app.accounts.models import User
from app.catalog.models import Product, Sku
from app.core.models import utcnow
from app.extensions import db

RANGES = {"today": 1, "7d": 7, "30d": 30}
LOW_STOCK_THRESHOLD = 10

# China Standard Time: the merchant's "today" starts at midnight in Beijing, not in UTC.
CST_OFFSET = timedelta(hours=8)


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


def _local_midnight_utc(day: date) -> datetime:
    return datetime(day.year, day.month, day.day) - CST_OFFSET


def build_dashboard(range_key: str = "today", now: datetime | None = None) -> Dashboard:
    days_back = RANGES.get(range_key, 1)
    now = now or utcnow()
    today_local = (now + CST_OFFSET).date()
    first_day = today_local - timedelta(days=days_back - 1)
    since = _local_midnight_utc(first_day)

    figures = Figures(new_shoppers=db.session.scalar(
        select(func.count()).select_from(User).where(User.created_at >= since)) or 0)
    low_stock = db.session.scalar(
        select(func.count()).select_from(Sku).join(Product, Sku.product_id == Product.id)
        .where(Product.deleted_at.is_(None), Product.is_on_shelf.is_(True), Sku.stock <= LOW_STOCK_THRESHOLD)) or 0

    trend_days = [first_day + timedelta(days=i) for i in range(max(days_back, 7))] if days_back > 1 else \
        [today_local - timedelta(days=6 - i) for i in range(7)]
    shopper_trend = [_count_users_on(day) for day in trend_days]
    return Dashboard(
        range_key=range_key if range_key in RANGES else "today", figures=figures,
        pending_withdrawals=0, awaiting_shipment=0, low_stock_skus=low_stock,
        days=[day.strftime("%m-%d") for day in trend_days],
        sales_trend_fen=[0] * len(trend_days), commission_trend_fen=[0] * len(trend_days),
        shopper_trend=shopper_trend,
    )


def _count_users_on(day: date) -> int:
    start = _local_midnight_utc(day)
    return db.session.scalar(select(func.count()).select_from(User).where(
        User.created_at >= start, User.created_at < start + timedelta(days=1))) or 0
