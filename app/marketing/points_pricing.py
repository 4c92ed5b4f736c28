"""Checkout step 40: points deduct from the goods (after the member price, full-reduction and
coupon steps), by the merchant's rules.

What the shopper asks for is capped, never refused: by their balance, by the rules' cap (a %
of the goods), by what the earlier steps left of the goods, and by the rate's granularity —
only whole fen come off, so at 1000 points = ¥1 points are spent in tens (10 points = 1 fen),
at 30 points = ¥1 in threes (3 points = 10 fen). Below the minimum order nothing comes off,
with a note saying why. The preview's `points` offer tells the shopper all this; spending
happens when the order is placed (app.marketing.points_orders)."""

from __future__ import annotations

from dataclasses import dataclass
from math import gcd

from flask_babel import gettext as _

from app.core.money import FEN_PER_YUAN, fen_to_yuan
from app.marketing import points_rules
from app.members.services import wallet_of
from app.orders.pricing import Discount, Quote, register_step


@dataclass(frozen=True)
class PointsUnit:
    """The smallest spend: `points` points take off exactly `fen` fen."""

    points: int
    fen: int

    @classmethod
    def of(cls, points_per_yuan: int) -> PointsUnit:
        common = gcd(points_per_yuan, FEN_PER_YUAN)
        return cls(points_per_yuan // common, FEN_PER_YUAN // common)


def _offer(balance: int, max_points: int, used: int, saving_fen: int, points_per_yuan: int, note: str = "") -> dict:
    return {"balance": balance, "max_points": max_points, "points_used": used, "saving_fen": saving_fen,
            "points_per_yuan": points_per_yuan, "note": note}


@register_step(40, "points", promotion=True)
def points_step(result: Quote) -> None:
    rules = points_rules.current()
    if result.user_id is None or not rules.deduction_enabled:
        result.offers["points"] = None
        return
    balance = wallet_of(result.user_id).points
    rate = rules.points_per_yuan
    goods = result.items_total_fen
    if goods < rules.min_order_fen:
        result.offers["points"] = _offer(balance, 0, 0, 0, rate, _(
            "Points can be used on goods of ¥%(yuan)s or more.", yuan=fen_to_yuan(rules.min_order_fen)))
        return
    unit = PointsUnit.of(rate)
    cap_fen = min(goods * rules.max_deduction_percent // 100, result.remaining_fen())
    max_units = min(balance // unit.points, cap_fen // unit.fen)
    used_units = min(result.options.points // unit.points, max_units)
    note = "" if max_units else (_("You have no points to use yet.") if balance < unit.points
                                 else _("This order is too small to use points."))
    offer = _offer(balance, max_units * unit.points, 0, 0, rate, note)
    if used_units > 0:
        used, saving = used_units * unit.points, used_units * unit.fen
        result.add_discount(Discount("points", _("%(points)s points", points=used), saving, ref="points",
                                     points=used))
        offer.update(points_used=used, saving_fen=saving)
    result.offers["points"] = offer
