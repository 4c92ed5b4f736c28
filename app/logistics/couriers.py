"""The couriers a merchant can ship with, and what a tracking number may look like."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext as _

from app.core.errors import ValidationError


@dataclass(frozen=True)
class Courier:
    code: str  # the code tracking services use (快递100 / 快递鸟 style)
    name: str


# The main couriers in mainland China, most used first. Names are proper nouns: not translated.
COURIERS: tuple[Courier, ...] = (
    Courier("SF", "顺丰速运"),
    Courier("ZTO", "中通快递"),
    Courier("YTO", "圆通速递"),
    Courier("STO", "申通快递"),
    Courier("YD", "韵达速递"),
    Courier("JTSDEXPRESS", "极兔速递"),
    Courier("EMS", "EMS"),
    Courier("JD", "京东物流"),
    Courier("YZPY", "中国邮政"),
    Courier("DBL", "德邦快递"),
)
_BY_CODE = {courier.code: courier for courier in COURIERS}

TRACKING_NO = re.compile(r"^[A-Za-z0-9]{6,40}$")


def couriers() -> list[Courier]:
    return list(COURIERS)


def courier_named(code: str) -> Courier | None:
    return _BY_CODE.get(code)


def checked_courier(code: str, field: str = "courier_code") -> Courier:
    courier = _BY_CODE.get((code or "").strip().upper())
    if courier is None:
        raise ValidationError(_("Choose a courier from the list."), fields={field: _("Not one of the allowed values.")})
    return courier


def checked_tracking_no(text: str, field: str = "tracking_no") -> str:
    """A tracking number is 6 to 40 letters and digits (spaces people paste around it are dropped)."""
    number = (text or "").strip().replace(" ", "").upper()
    if not TRACKING_NO.match(number):
        message = _("A tracking number is 6 to 40 letters and digits.")
        raise ValidationError(message, fields={field: message})
    return number
