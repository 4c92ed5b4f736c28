"""Growth rules (one settings row) and the log of level changes.

The growth ledger itself (`GrowthEntry`) sits with the wallet's other ledgers in
app/members/models.py, since the wallet holds its running figure."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.labels import labels
from app.core.models import TimestampMixin, utcnow
from app.extensions import db


class GrowthKind(StrEnum):
    """What changed a shopper's growth (`growth_entries.kind`)."""

    ORDER = "order"
    REFUND = "refund"
    SIGN_IN = "sign_in"
    YEARLY_EXPIRY = "yearly_expiry"
    ADMIN_ADJUST = "admin_adjust"
    DEMO = "demo"


GROWTH_KIND_LABELS = labels(GrowthKind, {
    GrowthKind.ORDER: _l("Order completed"), GrowthKind.REFUND: _l("Order refunded"),
    GrowthKind.SIGN_IN: _l("Daily sign-in"), GrowthKind.YEARLY_EXPIRY: _l("Yearly level review"),
    GrowthKind.ADMIN_ADJUST: _l("Adjusted by the merchant"), GrowthKind.DEMO: _l("Demo growth"),
})


class LevelChangeCause(StrEnum):
    """Why a shopper's level changed (`member_level_changes.cause`)."""

    GROWTH = "growth"
    YEARLY_REVIEW = "yearly_review"
    MERCHANT = "merchant"


LEVEL_CHANGE_CAUSE_LABELS = labels(LevelChangeCause, {
    LevelChangeCause.GROWTH: _l("Growth reached the level"),
    LevelChangeCause.YEARLY_REVIEW: _l("Yearly level review"),
    LevelChangeCause.MERCHANT: _l("Set by the merchant"),
})


class GrowthSettings(TimestampMixin, db.Model):
    """The single growth rules row (id 1), edited on the console's levels page. The review
    columns are the yearly downgrade job's bookmark, so a run cut short resumes and a second
    run in the same year does nothing."""

    __tablename__ = "growth_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    per_yuan: Mapped[int] = mapped_column(Integer, default=1, nullable=False,
                                          comment="growth per whole yuan paid for goods, at completion")
    per_sign_in: Mapped[int] = mapped_column(Integer, default=1, nullable=False, comment="growth per daily sign-in")
    yearly_downgrade: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False,
                                                   comment="re-evaluate levels at each Beijing year start")
    review_year: Mapped[int] = mapped_column(Integer, default=0, nullable=False,
                                             comment="the year whose review is running or done")
    review_after_user_id: Mapped[int] = mapped_column(Integer, default=0, nullable=False,
                                                      comment="the review's keyset cursor over wallets")
    review_done: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)


class LevelChange(db.Model):
    """A shopper's level moved (up by growth, down by the yearly review, or by the merchant):
    what the shopper's and the console's level history read."""

    __tablename__ = "member_level_changes"
    __table_args__ = (Index("ix_member_level_changes_user_id_id", "user_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    from_level_id: Mapped[int | None] = mapped_column(ForeignKey("member_levels.id", ondelete="SET NULL"))
    to_level_id: Mapped[int | None] = mapped_column(ForeignKey("member_levels.id", ondelete="SET NULL"))
    from_name: Mapped[str] = mapped_column(String(32), default="", nullable=False, comment="as it was named then")
    to_name: Mapped[str] = mapped_column(String(32), default="", nullable=False)
    cause: Mapped[str] = mapped_column(String(16), nullable=False, comment="growth | yearly_review | merchant")
    growth: Mapped[int] = mapped_column(Integer, nullable=False, comment="the shopper's growth at the change")
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_accounts.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
