"""A shopper's delivery addresses: validated, at most 20, exactly one default.

The region is a county-level code checked against the shipping region list; its text is
derived here from the code, never taken from the client.
"""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from app.accounts.models import User
from app.addresses.models import Address
from app.core.errors import NotFound, ValidationError
from app.extensions import db
from app.shipping import regions

MAX_ADDRESSES = 20
MOBILE_PATTERN = r"^1[3-9][0-9]{9}$"
MOBILE = re.compile(MOBILE_PATTERN)
TAGS = ("", "家", "公司", "学校")
NAME_MAX = 32
DETAIL_MIN, DETAIL_MAX = 2, 128


def region_text(code: str) -> str | None:
    """"广东省 深圳市 南山区" for a county-level code ("广东省 东莞市" for a city without
    counties); None for anything else (a province, a city, an unknown code)."""
    if not isinstance(code, str) or len(code) != 6 or not code.isdigit():
        return None
    where = regions.resolve(code)
    if where is None:
        return None
    county = regions.county(code)
    if county is None:
        return None
    province, city = where
    names = [regions.name_of(province)]
    city_name = regions.name_of(city)
    if city_name not in names and "直辖" not in city_name and not city_name.endswith("辖县"):
        names.append(city_name)
    if county.name != names[-1]:
        names.append(county.name)
    return " ".join(names)


def clean(values: dict[str, Any]) -> dict[str, Any]:
    """The address fields, trimmed and checked; 422 naming every bad field."""
    fields: dict[str, str] = {}
    name = str(values.get("receiver_name") or "").strip()
    phone = str(values.get("receiver_phone") or "").strip()
    code = str(values.get("region_code") or "").strip()
    detail = " ".join(str(values.get("detail") or "").split())
    tag = str(values.get("tag") or "").strip()
    if not 1 <= len(name) <= NAME_MAX:
        fields["receiver_name"] = _("Between %(low)s and %(high)s characters.", low=1, high=NAME_MAX)
    if not MOBILE.fullmatch(phone):
        fields["receiver_phone"] = _("Enter a mainland mobile number of 11 digits.")
    text = region_text(code)
    if text is None:
        fields["region_code"] = _("Choose a district or county we deliver to.")
    if not DETAIL_MIN <= len(detail) <= DETAIL_MAX:
        fields["detail"] = _("Between %(low)s and %(high)s characters.", low=DETAIL_MIN, high=DETAIL_MAX)
    if tag not in TAGS:
        fields["tag"] = _("Not one of the allowed values.")
    if fields:
        raise ValidationError(_("Some fields are invalid."), fields=fields)
    return {"receiver_name": name, "receiver_phone": phone, "region_code": code, "region_text": text,
            "detail": detail, "tag": tag}


def addresses_of(user_id: int) -> list[Address]:
    """The default first, then newest first."""
    return list(db.session.scalars(select(Address).where(Address.user_id == user_id)
                                   .order_by(Address.is_default.desc(), Address.id.desc())))


def own_address(user_id: int, address_id: int) -> Address:
    address = db.session.scalar(select(Address).where(Address.id == address_id, Address.user_id == user_id))
    if address is None:
        raise NotFound(_("This address does not exist."), code="address_not_found")
    return address


def default_address(user_id: int) -> Address | None:
    return db.session.scalar(select(Address).where(Address.user_id == user_id, Address.is_default.is_(True))
                             .order_by(Address.id.desc()).limit(1))


def _lock_shopper(user_id: int) -> None:
    """Serialise one shopper's address changes (the count limit and the single default)."""
    db.session.execute(select(User.id).where(User.id == user_id).with_for_update())


def _make_default(user_id: int, address_id: int) -> None:
    db.session.execute(update(Address).where(Address.user_id == user_id)
                       .values(is_default=(Address.id == address_id))
                       .execution_options(synchronize_session="fetch"))


def create_address(user_id: int, values: dict[str, Any], *, is_default: bool = False) -> Address:
    cleaned = clean(values)
    _lock_shopper(user_id)
    count = db.session.scalar(select(func.count()).select_from(Address).where(Address.user_id == user_id))
    if count >= MAX_ADDRESSES:
        raise ValidationError(_("At most %(n)s addresses.", n=MAX_ADDRESSES), code="too_many_addresses")
    address = Address(user_id=user_id, is_default=False, **cleaned)
    db.session.add(address)
    db.session.flush()
    if is_default or count == 0:
        _make_default(user_id, address.id)
    db.session.refresh(address)
    return address


def update_address(user_id: int, address_id: int, values: dict[str, Any], *,
                   is_default: bool | None = None) -> Address:
    address = own_address(user_id, address_id)
    cleaned = clean(values)
    _lock_shopper(user_id)
    for key, value in cleaned.items():
        setattr(address, key, value)
    db.session.flush()
    if is_default:
        _make_default(user_id, address.id)
        db.session.refresh(address)
    return address


def set_default(user_id: int, address_id: int) -> Address:
    address = own_address(user_id, address_id)
    _lock_shopper(user_id)
    _make_default(user_id, address.id)
    db.session.refresh(address)
    return address


def delete_address(user_id: int, address_id: int) -> None:
    """Delete one; if it was the default, the newest remaining one becomes the default."""
    address = own_address(user_id, address_id)
    _lock_shopper(user_id)
    was_default = address.is_default
    db.session.delete(address)
    db.session.flush()
    if was_default:
        newest = db.session.scalar(select(Address.id).where(Address.user_id == user_id)
                                   .order_by(Address.id.desc()).limit(1))
        if newest is not None:
            _make_default(user_id, newest)
