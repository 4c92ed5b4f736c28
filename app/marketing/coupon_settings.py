"""The merchant's coupon settings: read without writing (a checkout must not race to create the
row), saved from the console with an audit row."""

from __future__ import annotations

from typing import Any

from app.audit import services as audit
from app.audit.services import Actor
from app.extensions import db
from app.marketing.coupon_models import CouponSettings

DEFAULTS: dict[str, Any] = {"return_on_full_refund": True, "new_user_template_ids": [], "invitee_template_id": None,
                            "order_gift_threshold_fen": 0, "order_gift_template_id": None}


def coupon_settings() -> CouponSettings:
    """The settings row, or (before the merchant saved any) the defaults, not stored."""
    settings = db.session.get(CouponSettings, 1)
    return settings if settings is not None else CouponSettings(id=1, **DEFAULTS)


def settings_dict(settings: CouponSettings) -> dict[str, Any]:
    return {name: getattr(settings, name) for name in DEFAULTS}


def save_coupon_settings(actor: Actor, changes: dict[str, Any],
                         action: str = "coupon_settings.save") -> CouponSettings:
    settings = db.session.get(CouponSettings, 1)
    if settings is None:
        settings = CouponSettings(id=1, **DEFAULTS)
        db.session.add(settings)
    before = settings_dict(settings)
    for name, value in changes.items():
        if name in DEFAULTS:
            setattr(settings, name, value)
    db.session.flush()
    audit.record(actor, area="marketing", action=action, target_type="coupon_settings", target_id=1,
                 before=before, after=settings_dict(settings))
    return settings
