"""Withdrawals of available commission: to WeChat change (merchant transfer), to the store
balance, or by hand to a bank card or Alipay account."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.core.labels import labels
from app.core.models import TimestampMixin
from app.extensions import db


class WithdrawalMethod(StrEnum):
    WECHAT = "wechat"  # WeChat change, by merchant transfer
    BALANCE = "balance"  # the store balance
    BANK = "bank"  # paid by hand
    ALIPAY = "alipay"  # paid by hand


WITHDRAWAL_METHOD_LABELS = labels(WithdrawalMethod, {
    WithdrawalMethod.WECHAT: _l("WeChat change"), WithdrawalMethod.BALANCE: _l("Store balance"),
    WithdrawalMethod.BANK: _l("Bank card"), WithdrawalMethod.ALIPAY: _l("Alipay"),
})


class Withdrawal(TimestampMixin, db.Model):
    __tablename__ = "withdrawals"
    __table_args__ = (
        UniqueConstraint("user_id", "idempotency_key", name="uq_withdrawals_user_id_idempotency_key"),
        CheckConstraint("amount_fen > 0 AND fee_fen >= 0 AND net_fen > 0 AND amount_fen = fee_fen + net_fen",
                        name="amounts_add_up"),
        Index("ix_withdrawals_status_id", "status", "id"),
        Index("ix_withdrawals_user_id_created_at", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    withdrawal_no: Mapped[str] = mapped_column(String(32), unique=True, nullable=False, comment="shown to people")
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    idempotency_key: Mapped[str] = mapped_column(String(64), nullable=False,
                                                 comment="from the client: a retried request returns this one")
    method: Mapped[str] = mapped_column(String(8), nullable=False, comment="wechat | balance | bank | alipay")
    amount_fen: Mapped[int] = mapped_column(Integer, nullable=False, comment="taken from available")
    fee_fen: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    net_fen: Mapped[int] = mapped_column(Integer, nullable=False, comment="what the agent receives")
    status: Mapped[str] = mapped_column(String(10), default="reviewing", nullable=False)
    account_name: Mapped[str] = mapped_column(String(32), default="", nullable=False, comment="bank / alipay")
    account_no: Mapped[str] = mapped_column(String(64), default="", nullable=False)
    bank_name: Mapped[str] = mapped_column(String(64), default="", nullable=False)
    reject_reason: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    fail_reason: Mapped[str] = mapped_column(String(255), default="", nullable=False)
    transfer_id: Mapped[int | None] = mapped_column(ForeignKey("transfers.id"), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_accounts.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)
    paid_at: Mapped[datetime | None] = mapped_column(DateTime)
