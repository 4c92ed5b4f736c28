"""Dashboard figures over today / 7 / 30 days (Beijing calendar days), and daily trends.

The figures (sales, orders, new shoppers and agents, commission accrued and settled — what
each means: app/reports/sources.py) are read from the daily rollup (app/reports/rollups.py):
at most 30 small rows per view, whatever the size of the shop, refreshed every minute; the
page says when (`refreshed_at`). What needs attention is read as it stands now: orders
awaiting shipment (the order status counts), pending withdrawals — under review, approved
and waiting to be paid by hand, or paying through WeChat — and their amount (an indexed
range of open withdrawals, a handful), and low-stock SKUs (the catalogue, not the orders).

The trends give one point per Beijing day: sales and accrued commission by the day the order
was paid, new shoppers by the day they arrived.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select

from app.catalog.models import Product, Sku
from app.core.china_time import to_beijing
from app.core.models import utcnow
from app.distribution.states import WithdrawalStatus
from app.distribution.withdrawal_models import Withdrawal
from app.extensions import db
from app.orders.queries import count_by_status
from app.orders.states import OrderStatus
from app.reports.models import DailyShopFigures
from app.reports.rollups import refreshed_at
from app.reports.sources import FIGURES, Figures, Window

RANGES = {"today": 1, "7d": 7, "30d": 30}

# Still the shop's to handle: review, pay by hand (approved), or wait for WeChat's transfer.
OPEN_WITHDRAWALS = (WithdrawalStatus.REVIEWING, WithdrawalStatus.APPROVED, WithdrawalStatus.PAYING)


@dataclass
class Dashboard:
    range_key: str
    figures: Figures
    pending_withdrawals: int
    pending_withdrawal_fen: int
    awaiting_shipment: int
    low_stock_skus: int
    refreshed_at: datetime | None = None  # UTC: the figures hold every change committed before it
    days: list[str] = field(default_factory=list)
    sales_trend_fen: list[int] = field(default_factory=list)
    commission_trend_fen: list[int] = field(default_factory=list)
    shopper_trend: list[int] = field(default_factory=list)


def build_dashboard(range_key: str = "today", now: datetime | None = None) -> Dashboard:
    range_key = range_key if range_key in RANGES else "today"
    today = to_beijing(now or utcnow()).date()
    window = Window(today - timedelta(days=RANGES[range_key] - 1), today)
    trend = Window(today - timedelta(days=max(RANGES[range_key], 7) - 1), today)  # holds the window
    by_day = daily_figures(trend)
    days = trend.days()
    pending_count, pending_fen = db.session.execute(
        select(func.count(), func.coalesce(func.sum(Withdrawal.amount_fen), 0))
        .where(Withdrawal.status.in_(OPEN_WITHDRAWALS))).one()
    return Dashboard(
        range_key=range_key, figures=sum((by_day[day] for day in window.days()), Figures()),
        pending_withdrawals=pending_count, pending_withdrawal_fen=int(pending_fen),
        awaiting_shipment=count_by_status().get(OrderStatus.PAID, 0),
        low_stock_skus=_low_stock_skus(), refreshed_at=refreshed_at(),
        days=[day.strftime("%m-%d") for day in days],
        sales_trend_fen=[by_day[day].sales_fen for day in days],
        commission_trend_fen=[by_day[day].commission_accrued_fen for day in days],
        shopper_trend=[by_day[day].new_shoppers for day in days],
    )


def daily_figures(window: Window) -> dict:
    """{day: Figures} for every day of the window, from the rollup (zeros for a day it lacks)."""
    found = {row.day: Figures(**{name: getattr(row, name) for name in FIGURES}) for row in db.session.scalars(
        select(DailyShopFigures).where(DailyShopFigures.day.between(window.first, window.last)))}
    return {day: found.get(day, Figures()) for day in window.days()}


def _low_stock_skus() -> int:
    return db.session.scalar(
        select(func.count()).select_from(Sku).join(Product, Sku.product_id == Product.id)
        .where(Product.deleted_at.is_(None), Product.is_on_shelf.is_(True),
               Sku.stock <= Product.stock_alert_threshold)) or 0
