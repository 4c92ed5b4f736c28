"""Agents, their applications, who referred whom (the binding), its history, and the team
counters that answer "how big is my team" without walking the tree."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.labels import labels
from app.core.models import TimestampMixin, utcnow
from app.extensions import db


class AgentOrigin(StrEnum):
    """How a shopper became an agent (`agents.how`)."""

    AUTO = "auto"
    APPLY = "apply"
    APPOINTED = "appointed"
    PRODUCT = "product"
    SPEND = "spend"


AGENT_ORIGIN_LABELS = labels(AgentOrigin, {
    AgentOrigin.AUTO: _l("Joined automatically"), AgentOrigin.APPLY: _l("Application approved"),
    AgentOrigin.APPOINTED: _l("Appointed by the merchant"), AgentOrigin.PRODUCT: _l("Bought a chosen product"),
    AgentOrigin.SPEND: _l("Reached the spend threshold"),
})


class ApplicationStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


APPLICATION_STATUS_LABELS = labels(ApplicationStatus, {
    ApplicationStatus.PENDING: _l("Waiting for review"), ApplicationStatus.APPROVED: _l("Approved"),
    ApplicationStatus.REJECTED: _l("Rejected"),
})


class BindingSource(StrEnum):
    """Where a shopper met their referrer."""

    LINK = "link"
    WXACODE = "wxacode"
    OA_QR = "oa_qr"
    INVITE_CODE = "invite_code"


BINDING_SOURCE_LABELS = labels(BindingSource, {
    BindingSource.LINK: _l("Shared link"), BindingSource.WXACODE: _l("Mini-program code"),
    BindingSource.OA_QR: _l("Official account QR code"), BindingSource.INVITE_CODE: _l("Invite code"),
})


class BindingAction(StrEnum):
    BIND = "bind"
    REBIND = "rebind"
    REFUSED = "refused"


BINDING_ACTION_LABELS = labels(BindingAction, {
    BindingAction.BIND: _l("Bound"), BindingAction.REBIND: _l("Rebound"), BindingAction.REFUSED: _l("Not bound"),
})


class BindingRefusal(StrEnum):
    """Why a binding was refused (`referral_binding_events.reason`)."""

    DISTRIBUTION_OFF = "distribution_off"
    UNKNOWN_REFERRER = "unknown_referrer"
    SELF = "self"
    REFERRER_NOT_AGENT = "referrer_not_agent"
    NOT_NEW = "not_new"
    ALREADY_BOUND = "already_bound"
    CYCLE = "cycle"


BINDING_REFUSAL_LABELS = labels(BindingRefusal, {
    BindingRefusal.DISTRIBUTION_OFF: _l("distribution is off"),
    BindingRefusal.UNKNOWN_REFERRER: _l("the referrer is unknown"),
    BindingRefusal.SELF: _l("one cannot refer oneself"),
    BindingRefusal.REFERRER_NOT_AGENT: _l("the referrer is not an active agent"),
    BindingRefusal.NOT_NEW: _l("only new shoppers can be bound"),
    BindingRefusal.ALREADY_BOUND: _l("already bound to a referrer"),
    BindingRefusal.CYCLE: _l("it would make a loop in the team"),
})


class Agent(TimestampMixin, db.Model):
    """A shopper who may earn commission (分销员)."""

    __tablename__ = "agents"
    __table_args__ = (
        Index("ix_agents_became_at", "became_at"),  # the dashboard's new agents
        Index("ix_agents_status", "status"),  # the console's agents by status, newest first
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), unique=True, nullable=False)
    status: Mapped[str] = mapped_column(String(10), default="active", nullable=False,
                                        comment="active | disabled | removed")
    level_id: Mapped[int | None] = mapped_column(ForeignKey("agent_levels.id"), index=True)
    invite_code: Mapped[str] = mapped_column(String(8), unique=True, nullable=False,
                                             comment="[A-Za-z0-9]{6,8}: fits a wxacode scene r=<code>&p=<id>")
    became_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    how: Mapped[str] = mapped_column(String(10), nullable=False,
                                     comment="auto | apply | appointed | product | spend")


class AgentApplication(TimestampMixin, db.Model):
    """A shopper's request to become an agent, when the shop reviews them (mode apply)."""

    __tablename__ = "agent_applications"
    __table_args__ = (Index("ix_agent_applications_status_id", "status", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True, nullable=False)
    status: Mapped[str] = mapped_column(String(10), default="pending", nullable=False,
                                        comment="pending | approved | rejected")
    real_name: Mapped[str] = mapped_column(String(32), default="", nullable=False)
    phone: Mapped[str] = mapped_column(String(20), default="", nullable=False)
    reject_reason: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_accounts.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)


class ReferralBinding(db.Model):
    """The current referrer of a shopper (one row per shopper): the edge of the referral tree."""

    __tablename__ = "referral_bindings"
    __table_args__ = (
        CheckConstraint("user_id <> referrer_user_id", name="not_self"),
        # A team at level 1 and at level 2, newest first: read down the index, never sorted.
        Index("ix_referral_bindings_referrer_user_id_bound_at", "referrer_user_id", "bound_at"),
        Index("ix_referral_bindings_grand_referrer_user_id_bound_at", "grand_referrer_user_id", "bound_at"),
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, autoincrement=False)
    referrer_user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    grand_referrer_user_id: Mapped[int | None] = mapped_column(
        Integer, comment="the referrer's referrer (level 2 up), kept by every bind; none for a root's team")
    source: Mapped[str] = mapped_column(String(12), nullable=False, comment="link | wxacode | oa_qr | invite_code")
    bound_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime, comment="mode expiring: re-bindable after")


class BindingEvent(db.Model):
    """Every bind, rebind and refusal, append-only: the history behind a binding."""

    __tablename__ = "referral_binding_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True, nullable=False)
    referrer_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True,
                                                         comment="who asked to be the referrer")
    previous_referrer_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    action: Mapped[str] = mapped_column(String(8), nullable=False, comment="bind | rebind | refused")
    reason: Mapped[str] = mapped_column(String(24), default="", nullable=False, comment="why refused")
    source: Mapped[str] = mapped_column(String(12), nullable=False)
    touch_id: Mapped[int | None] = mapped_column(Integer, index=True,
                                                 comment="the official-account scene touch applied (oa_scene_touches)")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)


class TeamCounter(db.Model):
    """Team sizes of one shopper, kept up to date by every bind and rebind (see binding.py)."""

    __tablename__ = "team_counters"
    __table_args__ = (CheckConstraint("direct_count >= 0 AND second_count >= 0 AND total_count >= 0",
                                      name="counts_not_negative"),)

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), primary_key=True, autoincrement=False)
    direct_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False, comment="level 1")
    second_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False, comment="level 2")
    total_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False, comment="all descendants")
