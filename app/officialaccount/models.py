"""Official-account fans, the replies a merchant configures, and QR-scene touches."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import TimestampMixin, utcnow
from app.extensions import db
from app.officialaccount.states import FAN_STATUSES

REPLY_KINDS = ("text", "news", "image", "music", "custom")
_kinds_sql = ", ".join(f"'{kind}'" for kind in REPLY_KINDS)
_statuses_sql = ", ".join(f"'{status}'" for status in FAN_STATUSES)


class Fan(TimestampMixin, db.Model):
    """Someone who follows (or once followed) the official account. Unsubscribing keeps the
    row, so a fan who comes back keeps their history and counts as a re-subscribe."""

    __tablename__ = "oa_fans"
    __table_args__ = (
        CheckConstraint(f"status IN ({_statuses_sql})", name="status"),
        CheckConstraint("resubscribe_count >= 0", name="resubscribe_count_not_negative"),
        # the console's fan list, latest subscribers first: all fans, or one status
        Index("ix_oa_fans_subscribed_at_id", "subscribed_at", "id"),
        Index("ix_oa_fans_status_subscribed_at_id", "status", "subscribed_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    openid: Mapped[str] = mapped_column(String(64), unique=True, nullable=False)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), nullable=False, comment="see officialaccount/states.py")
    first_subscribed_at: Mapped[datetime | None] = mapped_column(DateTime)
    subscribed_at: Mapped[datetime | None] = mapped_column(DateTime, comment="the latest subscribe")
    unsubscribed_at: Mapped[datetime | None] = mapped_column(DateTime, comment="the latest unsubscribe")
    subscribe_scene: Mapped[str | None] = mapped_column(String(64), comment="QR scene of the latest subscribe")
    resubscribe_count: Mapped[int] = mapped_column(Integer, default=0, nullable=False,
                                                   comment="subscribes after an unsubscribe")
    last_event_time: Mapped[int] = mapped_column(
        Integer, default=0, nullable=False,
        comment="CreateTime of the last (un)subscribe applied; older or repeated events are ignored")

    @property
    def is_subscribed(self) -> bool:
        return self.status == "subscribed"


class SpecialReply(TimestampMixin, db.Model):
    """The reply for one situation: subscribe, default, a message type, or a menu key.

    `slot` is "subscribe", "default", "message:<image|voice|video|shortvideo|location|link>"
    or "click:<EventKey>"."""

    __tablename__ = "oa_special_replies"
    __table_args__ = (CheckConstraint(f"kind IN ({_kinds_sql})", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slot: Mapped[str] = mapped_column(String(160), unique=True, nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    content: Mapped[dict] = mapped_column(JSON, nullable=False, comment="validated by reply_content.py")
    is_enabled: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)


class KeywordRule(TimestampMixin, db.Model):
    """Keywords that trigger one reply; the enabled rule with the highest priority wins."""

    __tablename__ = "oa_keyword_rules"
    __table_args__ = (CheckConstraint(f"kind IN ({_kinds_sql})", name="kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), nullable=False)
    keywords: Mapped[list[dict]] = mapped_column(JSON, nullable=False,
                                                 comment='[{"text": ..., "match": "exact|contains|regex"}]')
    priority: Mapped[int] = mapped_column(Integer, default=0, nullable=False, comment="larger wins")
    kind: Mapped[str] = mapped_column(String(16), nullable=False)
    content: Mapped[dict] = mapped_column(JSON, nullable=False, comment="validated by reply_content.py")
    is_enabled: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)


class SceneTouch(db.Model):
    """A fan arrived through an agent's QR code (subscribe with qrscene_, or SCAN). Kept for
    the distribution domain, which reads it from the `referral.scanned` event."""

    __tablename__ = "oa_scene_touches"

    id: Mapped[int] = mapped_column(primary_key=True)
    fan_id: Mapped[int] = mapped_column(ForeignKey("oa_fans.id"), index=True, nullable=False)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    scene: Mapped[str] = mapped_column(String(64), index=True, nullable=False)
    source: Mapped[str] = mapped_column(String(16), default="oa_qrcode", nullable=False)
    event: Mapped[str] = mapped_column(String(16), nullable=False, comment="subscribe or scan")
    dedup_key: Mapped[str] = mapped_column(String(160), unique=True, nullable=False,
                                           comment="the pushed event's identity: a retry adds no row")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
