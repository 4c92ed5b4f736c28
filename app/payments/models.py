"""Payments, refunds and merchant transfers through WeChat Pay v3. Amounts are integer fen.

Each row is keyed by the number *we* send WeChat (out_trade_no, out_refund_no, out_bill_no),
unique, so a retried call or a replayed notification always lands on the same row.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import TimestampMixin
from app.extensions import db
from app.payments.states import PaymentStatus, RefundStatus, TransferStatus


class Payment(TimestampMixin, db.Model):
    """One JSAPI payment the mini-program asks the shopper to make."""

    __tablename__ = "payments"
    __table_args__ = (
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        CheckConstraint("refund_held_fen >= 0 AND refund_held_fen <= amount_fen", name="refunds_within_amount"),
        Index("ix_payments_status_created_at", "status", "created_at"),
        Index("ix_payments_purpose_subject_id", "purpose", "subject_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    out_trade_no: Mapped[str] = mapped_column(String(32), unique=True, nullable=False,
                                              comment="our number for this payment, sent to WeChat")
    purpose: Mapped[str] = mapped_column(String(16), nullable=False, comment="what is paid for, e.g. order")
    subject_id: Mapped[int] = mapped_column(Integer, nullable=False, comment="the id of what is paid for")
    open_subject: Mapped[str | None] = mapped_column(
        String(40), unique=True,
        comment="purpose:subject_id while unpaid or paid, null once closed: one live payment per subject")
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True, nullable=False)
    payer_openid: Mapped[str] = mapped_column(String(64), nullable=False, comment="mini-program openid")
    amount_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    description: Mapped[str] = mapped_column(String(127), nullable=False, comment="shown in the WeChat bill")
    appid: Mapped[str] = mapped_column(String(32), nullable=False)
    mchid: Mapped[str] = mapped_column(String(32), nullable=False)
    status: Mapped[str] = mapped_column(String(16), default=PaymentStatus.UNPAID, nullable=False)
    prepay_id: Mapped[str | None] = mapped_column(String(64), comment="valid two hours from prepaid_at")
    prepaid_at: Mapped[datetime | None] = mapped_column(DateTime)
    transaction_id: Mapped[str | None] = mapped_column(String(32), unique=True, comment="WeChat's number")
    trade_state: Mapped[str] = mapped_column(String(32), default="", nullable=False,
                                             comment="WeChat's trade_state as last seen")
    paid_at: Mapped[datetime | None] = mapped_column(DateTime, comment="WeChat's success_time, UTC")
    notified_at: Mapped[datetime | None] = mapped_column(DateTime, comment="when the paid notification came")
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    refund_held_fen: Mapped[int] = mapped_column(
        Integer, default=0, nullable=False,
        comment="sum of refunds that are not failed or closed; the database keeps it within amount_fen")


class Refund(TimestampMixin, db.Model):
    """A full or partial refund of a paid payment; all of them together never exceed it."""

    __tablename__ = "refunds"
    __table_args__ = (CheckConstraint("amount_fen > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    out_refund_no: Mapped[str] = mapped_column(String(64), unique=True, nullable=False,
                                               comment="our number for this refund, sent to WeChat")
    payment_id: Mapped[int] = mapped_column(ForeignKey("payments.id"), index=True, nullable=False)
    amount_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    reason: Mapped[str] = mapped_column(String(80), default="", nullable=False, comment="shown to the shopper")
    status: Mapped[str] = mapped_column(String(16), default=RefundStatus.PENDING, nullable=False)
    refund_id: Mapped[str | None] = mapped_column(String(32), unique=True, comment="WeChat's number")
    wechat_status: Mapped[str] = mapped_column(String(32), default="", nullable=False,
                                               comment="WeChat's refund status as last seen")
    fail_reason: Mapped[str] = mapped_column(String(255), default="", nullable=False)
    succeeded_at: Mapped[datetime | None] = mapped_column(DateTime)
    notified_at: Mapped[datetime | None] = mapped_column(DateTime)

    payment: Mapped[Payment] = relationship()


class Transfer(TimestampMixin, db.Model):
    """Money sent to a shopper's WeChat balance (商家转账), which they confirm in the mini-program."""

    __tablename__ = "transfers"
    __table_args__ = (
        CheckConstraint("amount_fen > 0", name="amount_positive"),
        Index("ix_transfers_purpose_subject_id", "purpose", "subject_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    out_bill_no: Mapped[str] = mapped_column(
        String(32), unique=True, nullable=False,
        comment="our number, derived from purpose, subject and attempt so a retry reuses it")
    purpose: Mapped[str] = mapped_column(String(16), nullable=False, comment="why, e.g. withdrawal")
    subject_id: Mapped[int] = mapped_column(Integer, nullable=False)
    attempt: Mapped[int] = mapped_column(Integer, default=1, nullable=False,
                                         comment="1, then 2... after a failed or cancelled transfer")
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True, nullable=False)
    openid: Mapped[str] = mapped_column(String(64), nullable=False, comment="the receiver's mini-program openid")
    appid: Mapped[str] = mapped_column(String(32), nullable=False)
    mchid: Mapped[str] = mapped_column(String(32), nullable=False)
    amount_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    remark: Mapped[str] = mapped_column(String(32), nullable=False, comment="shown to the receiver")
    scene_id: Mapped[str] = mapped_column(String(16), nullable=False, comment="WeChat transfer scene, e.g. 1005")
    status: Mapped[str] = mapped_column(String(20), default=TransferStatus.PENDING, nullable=False)
    wechat_state: Mapped[str] = mapped_column(String(32), default="", nullable=False,
                                              comment="WeChat's state as last seen")
    transfer_bill_no: Mapped[str | None] = mapped_column(String(64), unique=True, comment="WeChat's number")
    package_info: Mapped[str | None] = mapped_column(
        String(1024), comment="what wx.requestMerchantTransfer needs while waiting for the user")
    fail_reason: Mapped[str] = mapped_column(String(255), default="", nullable=False)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    notified_at: Mapped[datetime | None] = mapped_column(DateTime)
