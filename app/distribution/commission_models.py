"""Commission lines (one per order item per level: what was owed and why), the refunds
applied to them, the append-only ledger of entries and each agent's account totals.

Five buckets: pending (order paid), frozen (order completed, in its freeze days), available
(withdrawable), withdrawing (held by a withdrawal), withdrawn. An entry carries a delta per
bucket; an account's totals are always the sums of its entries (`flask distribution verify`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import TimestampMixin, utcnow
from app.extensions import db

BUCKETS = ("pending", "frozen", "available", "withdrawing", "withdrawn")


class CommissionLine(TimestampMixin, db.Model):
    """The snapshot ("explain" row) for one order item at one level: who, under which rule,
    on what base, how much — or the reason it pays nothing (then amount 0, status none)."""

    __tablename__ = "commission_lines"
    __table_args__ = (
        UniqueConstraint("order_item_id", "level", name="uq_commission_lines_order_item_id_level"),
        CheckConstraint("amount_fen >= 0 AND base_fen >= 0", name="amounts_not_negative"),
        CheckConstraint("cancelled_fen >= 0 AND clawed_back_fen >= 0 AND cancelled_fen + clawed_back_fen <= amount_fen",
                        name="taken_back_within_amount"),
        # An agent's lines newest order first, all of them or of one status, and their orders
        # grouped in that order (the agent centre's lists): read down the index, never sorted.
        # the agent's lines by order, with the amount: the agent centre's lists count the
        # paying ones (amount_fen > 0) from the index alone
        Index("ix_commission_lines_beneficiary_order_amount", "beneficiary_user_id", "order_id", "id", "amount_fen"),
        Index("ix_commission_lines_beneficiary_status_order_id", "beneficiary_user_id", "status", "order_id"),
        Index("ix_commission_lines_status_frozen_until", "status", "frozen_until"),
        # An order's paying lines (accrual copies them into entries, completion freezes them):
        # both columns, so no planner prefers the status index and walks every pending line
        # (SQLite, without statistics, did: accrual slowed with each order on the books).
        Index("ix_commission_lines_order_id_status", "order_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), nullable=False)
    order_item_id: Mapped[int] = mapped_column(ForeignKey("order_items.id"), nullable=False)
    level: Mapped[int] = mapped_column(Integer, nullable=False, comment="1-3; 0 is the buyer (self-purchase off)")
    beneficiary_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    rule: Mapped[str] = mapped_column(String(32), default="", nullable=False,
                                      comment="global | agent_level:<id> | product:<id> | product_fixed:<id>")
    base_fen: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    rate_bp: Mapped[int | None] = mapped_column(Integer)
    fixed_fen: Mapped[int | None] = mapped_column(Integer, comment="per unit, for fixed rules")
    amount_fen: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    cancelled_fen: Mapped[int] = mapped_column(Integer, default=0, nullable=False,
                                               comment="taken back before it was available")
    clawed_back_fen: Mapped[int] = mapped_column(Integer, default=0, nullable=False,
                                                 comment="taken back after it was available")
    status: Mapped[str] = mapped_column(String(10), nullable=False,
                                        comment="none | pending | frozen | available | cancelled")
    reason: Mapped[str] = mapped_column(String(20), default="", nullable=False, comment="why it pays nothing")
    frozen_until: Mapped[datetime | None] = mapped_column(DateTime)


class CommissionRefund(db.Model):
    """One refund of an order item, applied to its commission lines once (a replay adds no row)."""

    __tablename__ = "commission_refunds"
    __table_args__ = (UniqueConstraint("order_item_id", "after_sale_id",
                                       name="uq_commission_refunds_order_item_id_after_sale_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_item_id: Mapped[int] = mapped_column(ForeignKey("order_items.id"), nullable=False)
    after_sale_id: Mapped[int] = mapped_column(Integer, nullable=False)
    amount_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    quantity: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)


class CommissionEntry(db.Model):
    """One change to an agent's buckets, append-only; `key` makes a replay apply nothing."""

    __tablename__ = "commission_entries"
    __table_args__ = (
        Index("ix_commission_entries_agent_user_id_id", "agent_user_id", "id"),
        Index("ix_commission_entries_kind_created_at", "kind", "created_at"),  # the dashboard's releases by day
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True, nullable=False, comment="kind:line:ref")
    agent_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    line_id: Mapped[int | None] = mapped_column(ForeignKey("commission_lines.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16), nullable=False,
                                      comment="accrue | freeze | release | cancel | clawback | withdraw…")
    ref: Mapped[str] = mapped_column(String(40), default="", nullable=False)
    pending_fen: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    frozen_fen: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    available_fen: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    withdrawing_fen: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    withdrawn_fen: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)


class AgentAccount(db.Model):
    """An agent's bucket totals. Available may go negative after a clawback; the others never."""

    __tablename__ = "agent_accounts"
    __table_args__ = (CheckConstraint("pending_fen >= 0 AND frozen_fen >= 0 AND withdrawing_fen >= 0 "
                                      "AND withdrawn_fen >= 0", name="buckets_not_negative"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, autoincrement=False)
    pending_fen: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    frozen_fen: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    available_fen: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    withdrawing_fen: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    withdrawn_fen: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
