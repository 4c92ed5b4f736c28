"""Activity orders: a single-SKU buy-now order at an activity's price (秒杀, 拼团, 砍价), placed
through the normal checkout, paid, refunded and accrued like any order.

The orders domain only knows an activity by what it agreed to sell: `ActivityTerms`, built by
the activity's own module (app.marketing.activity_orders resolves them) and handed to checkout
with the request. The order keeps the kind, the activity and the reference (e.g. the bargain)
in its own columns, so reports and filters find activity orders without reading the activities;
pricing step 5 takes the SKU price down to the activity price; whether the other promotions
stack and whether the order pays commission are decided by the terms and kept on the order.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from flask_babel import lazy_gettext as _l

from app.core.labels import labels


class ActivityKind(StrEnum):
    FLASH_SALE = "flash_sale"
    GROUP_BUY = "group_buy"
    BARGAIN = "bargain"


ACTIVITY_KIND_LABELS = labels(ActivityKind, {
    ActivityKind.FLASH_SALE: _l("Flash sale"), ActivityKind.GROUP_BUY: _l("Group buy"),
    ActivityKind.BARGAIN: _l("Bargain"),
})


# Kinds whose activity set its units aside from the SKU when it was saved (秒杀): their orders take
# no SKU stock when placed and give none back when closed; the activity's own hooks count the
# units (app.marketing.flash_claims) instead.
OWN_STOCK_KINDS = frozenset({ActivityKind.FLASH_SALE.value})


def sells_own_stock(kind: str | None) -> bool:
    return kind in OWN_STOCK_KINDS


@dataclass(frozen=True)
class ActivityTerms:
    """What an activity agreed to sell to this shopper, checked by the activity's module just
    before checkout: one SKU, a quantity and a unit price, and the activity's settings that
    decide how the rest of the order behaves.

    `stacks`: coupons, points, full-reduction and the member price may apply too (default no).
    `pays_commission`: the order accrues commission on what was paid (default no).
    `pay_minutes`: a payment window shorter than the shop's (None: the shop's)."""

    kind: ActivityKind
    activity_id: int
    ref: str  # the activity's own reference: the bargain, the group, the session entry
    sku_id: int
    quantity: int
    unit_price_fen: int
    label: str  # what the discount reads as on the order, e.g. 砍价 · 蓝牙耳机
    stacks: bool = False
    pays_commission: bool = False
    pay_minutes: int | None = None
