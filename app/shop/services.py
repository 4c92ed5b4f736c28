"""Reading and changing the shop's settings."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _

from app.audit import services as audit
from app.audit.services import Actor
from app.catalog.skus import is_image_url
from app.core.errors import ValidationError
from app.extensions import db
from app.media import usage as media_usage
from app.shop.models import ShopSettings
from app.shop.theme import BrandColour, ThemeMode

HOME_PAGES = ("default", "category", "custom")
EDITABLE = ("name", "logo_url", "service_phone", "home_page", "unpaid_close_minutes", "auto_receive_days",
            "after_sale_days", "pay_wechat", "pay_balance", "pay_cod", "auto_off_shelf_when_sold_out", "theme_mode",
            "brand_colour")


def shop_settings() -> ShopSettings:
    """The settings row, created with defaults the first time."""
    settings = db.session.get(ShopSettings, 1)
    if settings is None:
        settings = ShopSettings(id=1)
        db.session.add(settings)
        db.session.flush()
    return settings


def console_look() -> dict[str, str]:
    """What every console page shows of the shop (name, logo, theme), read without creating the
    row: pages are GETs that must not write, and a fresh shop shows the defaults."""
    settings = db.session.get(ShopSettings, 1)
    if settings is None:
        return default_look()
    return {"name": settings.name, "logo_url": settings.logo_url, "theme_mode": settings.theme_mode,
            "brand_colour": settings.brand_colour}


def default_look() -> dict[str, str]:
    columns = ShopSettings.__table__.c
    return {key: columns[key].default.arg for key in ("name", "logo_url", "theme_mode", "brand_colour")}


def snapshot(settings: ShopSettings) -> dict[str, Any]:
    return {key: getattr(settings, key) for key in EDITABLE}


def update_shop_settings(actor: Actor, values: dict[str, Any]) -> ShopSettings:
    fields = {}
    if values.get("home_page") not in HOME_PAGES:
        fields["home_page"] = _("Not one of the allowed values.")
    if values.get("theme_mode") not in set(ThemeMode):
        fields["theme_mode"] = _("Not one of the allowed values.")
    if values.get("brand_colour") not in set(BrandColour):
        fields["brand_colour"] = _("Not one of the allowed values.")
    if len(values.get("logo_url") or "") > 512:
        fields["logo_url"] = _("At most %(n)s characters.", n=512)
    elif values.get("logo_url") and not is_image_url(values["logo_url"]):
        fields["logo_url"] = _("An image address starts with https://, http:// or /.")
    if not 5 <= int(values.get("unpaid_close_minutes", 0)) <= 1440:
        fields["unpaid_close_minutes"] = _("Between %(low)s and %(high)s.", low=5, high=1440)
    for key in ("auto_receive_days", "after_sale_days"):
        if not 1 <= int(values.get(key, 0)) <= 60:
            fields[key] = _("Between %(low)s and %(high)s.", low=1, high=60)
    if not (values.get("pay_wechat") or values.get("pay_balance") or values.get("pay_cod")):
        fields["pay_wechat"] = _("Keep at least one payment method on.")
    if fields:
        raise ValidationError(_("Some fields are invalid."), fields=fields)
    settings = shop_settings()
    before = snapshot(settings)
    for key in EDITABLE:
        setattr(settings, key, values[key])
    db.session.flush()
    media_usage.record(media_usage.UsageOwner.SHOP, settings.id, [settings.logo_url], str(_("Shop settings")))
    changed_before, changed_after = audit.changed_fields(before, snapshot(settings))
    audit.record(actor, area="settings", action="shop.update", target_type="shop", target_id=1,
                 summary=settings.name, before=changed_before, after=changed_after)
    return settings


def recount_picture_usage() -> int:
    """Tell the media library again that the shop's logo is in use."""
    settings = shop_settings()
    media_usage.record(media_usage.UsageOwner.SHOP, settings.id, [settings.logo_url], str(_("Shop settings")))
    return 1
