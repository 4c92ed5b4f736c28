"""The reports' own tables: daily rollups, the days waiting to be recomputed, and the state
of the refresh. All small (a row per Beijing day, or per day and dimension); none is a
source of truth — `flask reports rebuild` writes them again from the source rows."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import utcnow
from app.extensions import db


class DailyShopFigures(db.Model):
    """The dashboard's figures of one Beijing day, shop-wide (app/reports/sources.py says what
    each means). A day without a row had nothing yet."""

    __tablename__ = "report_daily_shop"

    day: Mapped[date] = mapped_column(Date, primary_key=True, comment="Beijing calendar day")
    sales_fen: Mapped[int] = mapped_column(BigInteger, default=0, nullable=False,
                                           comment="paid less refunded, of the orders paid this day")
    orders: Mapped[int] = mapped_column(Integer, default=0, nullable=False, comment="orders paid this day")
    new_shoppers: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    new_agents: Mapped[int] = mapped_column(Integer, default=0, nullable=False, comment="still agents")
    commission_accrued_fen: Mapped[int] = mapped_column(BigInteger, default=0, nullable=False,
                                                        comment="net, of the orders paid this day")
    commission_settled_fen: Mapped[int] = mapped_column(BigInteger, default=0, nullable=False,
                                                        comment="released this day, net of clawbacks")
    computed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False, comment="UTC")


class DirtyDay(db.Model):
    """A Beijing day whose rollups must be recomputed: written in the same transaction as the
    change that moved one of its figures (app/reports/marks.py), deleted by the refresh that
    saw it. Append-only, one row per change (never an update of a shared row), so the shop's
    busiest moments — every payment marks today — never queue on one row lock."""

    __tablename__ = "report_dirty_days"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(Date, index=True, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)


class RollupRefresh(db.Model):
    """One row per kind of rollup refresh ('daily'): its row lock serialises refreshes, and
    `refreshed_at` says up to when the rollups hold every change (the dashboard shows it)."""

    __tablename__ = "report_refreshes"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    refreshed_at: Mapped[datetime | None] = mapped_column(
        DateTime, comment="UTC: every change committed before this is in the rollups")
    locked_at: Mapped[datetime | None] = mapped_column(DateTime, comment="UTC, the last refresh that took the lock")
