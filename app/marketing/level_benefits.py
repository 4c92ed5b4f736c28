"""What a shopper's member level gives besides its goods discount (pricing step 10): a points
multiplier (the points rules call `points_multiplier_bp`) and free delivery (a pricing step
of its own, after the level's discount and before the full-reduction activities).

A level's monthly coupon is given by `app.marketing.level_coupons`."""

from __future__ import annotations

from flask_babel import gettext as _

from app.core.money import BASIS_POINTS
from app.members.services import level_of
from app.orders.pricing import Quote, register_step


def points_multiplier_bp(user_id: int) -> int:
    """The shopper's level's points multiplier in basis points (15000 = 1.5×); 10000 without
    a level."""
    level = level_of(user_id)
    return BASIS_POINTS if level is None else level.points_multiplier_bp


@register_step(15, "member_free_shipping")
def _member_free_shipping_step(quote: Quote) -> None:
    level = quote.member_level if quote.freight_fen > 0 else None
    if level is not None and level.free_shipping:
        quote.waive_freight(_("Free delivery for %(level)s", level=level.name))
