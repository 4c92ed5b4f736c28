"""Per-agent rollups: one row per agent per Beijing day, week (from Monday) and month, so the
agent centre's "today", the leaderboards and the console read a row instead of summing an
agent's commission lines (tens of thousands for a busy agent).

A row is a cohort: the commission lines *created* in its span, as they stand now (a refund
next week changes the row of the day the line was created, as it changes the line), and the
shoppers newly bound to the agent in the span. The figures are kept by the ledger
(`ledger.post`, `ledger.post_accruals`) and by binding, in the transaction that changes the
lines; `flask distribution rebuild-rollups` recomputes them and `flask distribution verify`
checks them against the lines and the binding events.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.labels import labels
from app.extensions import db


class Span(StrEnum):
    DAY = "day"
    WEEK = "week"  # starts on a Monday
    MONTH = "month"  # starts on the 1st


SPAN_LABELS = labels(Span, {Span.DAY: _l("Day"), Span.WEEK: _l("Week (from Monday)"), Span.MONTH: _l("Month")})


# The figures of a row, each a sum over the span's lines (fen) or bindings.
FIGURES = ("accrued_fen", "cancelled_fen", "clawed_back_fen", "pending_fen", "frozen_fen", "available_fen",
           "net_fen", "invites")


class AgentRollup(db.Model):
    """accrued − cancelled − clawed back = net = pending + frozen + available: what the span's
    lines paid, what refunds took back before and after release, and where the rest is now
    (available counts what was since withdrawn, as the line's status does)."""

    __tablename__ = "agent_rollups"
    __table_args__ = (
        # The leaderboards: the top of a week or month, read down the index and stopped at 20.
        Index("ix_agent_rollups_span_start_day_net_fen", "span", "start_day", "net_fen", "user_id"),
        Index("ix_agent_rollups_span_start_day_invites", "span", "start_day", "invites", "user_id"),
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, autoincrement=False)
    span: Mapped[str] = mapped_column(String(5), primary_key=True, comment="day | week | month")
    start_day: Mapped[date] = mapped_column(Date, primary_key=True, comment="Beijing calendar day the span starts")
    accrued_fen: Mapped[int] = mapped_column(Integer, default=0, nullable=False,
                                             comment="what the span's paying lines paid")
    cancelled_fen: Mapped[int] = mapped_column(Integer, default=0, nullable=False,
                                               comment="taken back before it was available")
    clawed_back_fen: Mapped[int] = mapped_column(Integer, default=0, nullable=False,
                                                 comment="taken back after it was available")
    pending_fen: Mapped[int] = mapped_column(Integer, default=0, nullable=False, comment="net of pending lines")
    frozen_fen: Mapped[int] = mapped_column(Integer, default=0, nullable=False, comment="net of frozen lines")
    available_fen: Mapped[int] = mapped_column(Integer, default=0, nullable=False,
                                               comment="net of available lines (withdrawn or not)")
    net_fen: Mapped[int] = mapped_column(Integer, default=0, nullable=False,
                                         comment="accrued - cancelled - clawed back")
    invites: Mapped[int] = mapped_column(Integer, default=0, nullable=False, comment="shoppers newly bound")
