"""What a shopper's member level gives besides its goods discount (pricing step 10): a points
multiplier (the points rules call `points_multiplier_bp`) and free delivery (a pricing step
of its own, after the level's discount and before the full-reduction activities).

A level's monthly coupon (`monthly_coupon_template_id`) is granted by the coupons part."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from app.core.money import BASIS_POINTS
from app.extensions import db
from app.members.models import MemberLevel, Wallet
from app.orders.pricing import Quote, register_step


def level_of(user_id: int) -> MemberLevel | None:
    return db.session.scalar(select(MemberLevel).join(Wallet, Wallet.level_id == MemberLevel.id)
                             .where(Wallet.user_id == user_id))


def points_multiplier_bp(user_id: int) -> int:
    """The shopper's level's points multiplier in basis points (15000 = 1.5×); 10000 without
    a level."""
    multiplier = db.session.scalar(select(MemberLevel.points_multiplier_bp)
                                   .join(Wallet, Wallet.level_id == MemberLevel.id).where(Wallet.user_id == user_id))
    return BASIS_POINTS if multiplier is None else multiplier


@register_step(15, "member_free_shipping")
def _member_free_shipping_step(quote: Quote) -> None:
    if quote.user_id is None or quote.freight_fen <= 0:
        return
    level = level_of(quote.user_id)
    if level is not None and level.free_shipping:
        quote.waive_freight(_("Free delivery for %(level)s", level=level.name))
