"""The coupon step of the checkout's pricing pipeline (step 30, after full-reduction).

Each of the shopper's unused, in-date coupons is priced on the quote as the earlier steps left
it: only the lines in the coupon's scope count, the threshold is met by what is left of them,
a rate rounds the saving down and stops at its cap, and a coupon that does not stack with
full-reduction is not usable once an activity took something off. The preview lists them all
(usable first, best first, with the reason when not); the order uses one, the shopper's choice
re-validated here (409 with the reason) or the best one by default.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select

from app.core.china_time import beijing_iso
from app.core.errors import Conflict
from app.core.models import utcnow
from app.core.money import BASIS_POINTS, fen_to_yuan
from app.extensions import db
from app.marketing.coupon_models import Coupon, CouponKind, CouponScope, CouponStatus, CouponTemplate
from app.orders.pricing import Discount, PricedLine, Quote, register_step

MAX_LISTED = 100  # a shopper's coupons priced per preview; more than this is a hoard, not a choice


@dataclass
class CouponOffer:
    coupon: Coupon
    lines: list[PricedLine]
    saving_fen: int
    reason: str = ""

    @property
    def usable(self) -> bool:
        return not self.reason and self.saving_fen > 0

    def as_dict(self) -> dict:
        template = self.coupon.template
        return {"id": self.coupon.id, "title": template.name, "description": describe(template),
                "saving_fen": self.saving_fen if self.usable else 0, "usable": self.usable, "reason": self.reason,
                "expires_at": beijing_iso(self.coupon.valid_until)}


def _yuan(fen: int) -> str:
    """¥ without needless zeros: 20, 19.9, 0.05."""
    text = fen_to_yuan(fen)
    return text.rstrip("0").rstrip(".") if "." in text else text


def describe(template: CouponTemplate) -> str:
    """What the coupon gives, as shoppers read it: 满199减20, 8.5折, 无门槛减5."""
    if template.kind == CouponKind.RATE_OFF:
        tenths = f"{template.rate_bp / 1000:g}"
        text = _("%(tenths)s tenths of the price", tenths=tenths)
        if template.threshold_fen:
            text = _("Over ¥%(threshold)s, %(tenths)s tenths of the price", threshold=_yuan(template.threshold_fen),
                     tenths=tenths)
        if template.cap_fen:
            text += _(" (at most ¥%(cap)s)", cap=_yuan(template.cap_fen))
        return text
    if template.kind == CouponKind.NO_THRESHOLD or not template.threshold_fen:
        return _("¥%(amount)s off, no threshold", amount=_yuan(template.amount_fen))
    return _("¥%(amount)s off over ¥%(threshold)s", amount=_yuan(template.amount_fen),
             threshold=_yuan(template.threshold_fen))


def in_scope(template: CouponTemplate, line: PricedLine) -> bool:
    scope = template.scope
    if scope == CouponScope.PRODUCTS:
        return line.product.id in (template.product_ids or [])
    if scope == CouponScope.CATEGORIES:
        return line.product.category_id in (template.category_ids or [])
    if scope == CouponScope.EXCEPT_PRODUCTS:
        return line.product.id not in (template.product_ids or [])
    return True


def saving_on(template: CouponTemplate, base_fen: int) -> int:
    """What the coupon takes off goods worth `base_fen` (threshold already met)."""
    if template.kind == CouponKind.RATE_OFF:
        saving = base_fen * (BASIS_POINTS - min(max(template.rate_bp, 0), BASIS_POINTS)) // BASIS_POINTS
        if template.cap_fen is not None:
            saving = min(saving, template.cap_fen)
        return saving
    return min(template.amount_fen, base_fen)


def price_coupon(coupon: Coupon, result: Quote) -> CouponOffer:
    """This coupon on this quote: its lines, its saving, or why it cannot be used."""
    template = coupon.template
    lines = [line for line in result.lines if in_scope(template, line) and line.remaining_fen > 0]
    now = utcnow()
    if coupon.status != CouponStatus.UNUSED:
        return CouponOffer(coupon, [], 0, _("This coupon has been used."))
    if coupon.valid_until <= now:
        return CouponOffer(coupon, [], 0, _("This coupon has expired."))
    if coupon.valid_from > now:
        return CouponOffer(coupon, [], 0, _("This coupon can be used from %(day)s.",
                                            day=beijing_iso(coupon.valid_from)[:10]))
    if not lines:
        return CouponOffer(coupon, [], 0, _("Nothing in this order can use this coupon."))
    if not template.stacks_with_full_reduction and any(d.kind == "full_reduction" for d in result.discounts):
        return CouponOffer(coupon, lines, 0, _("This coupon cannot be used with a full-reduction activity."))
    base = result.remaining_fen(lines)
    threshold = template.threshold_fen if template.kind != CouponKind.NO_THRESHOLD else 0
    if base < threshold:
        return CouponOffer(coupon, lines, 0, _("Spend ¥%(more)s more on eligible goods to use it.",
                                               more=_yuan(threshold - base)))
    saving = saving_on(template, base)
    if saving <= 0:
        return CouponOffer(coupon, lines, 0, _("This coupon takes nothing off this order."))
    return CouponOffer(coupon, lines, saving)


def shopper_coupons(user_id: int) -> list[Coupon]:
    """The shopper's unused coupons that have not run out, soonest to expire first."""
    return list(db.session.scalars(
        select(Coupon).where(Coupon.user_id == user_id, Coupon.status == CouponStatus.UNUSED,
                             Coupon.valid_until > utcnow())
        .order_by(Coupon.valid_until, Coupon.id).limit(MAX_LISTED)))


def chosen_coupon_refused(reason: str) -> Conflict:
    return Conflict(_("This coupon cannot be used: %(reason)s", reason=reason), code="coupon_unusable",
                    fields={"coupon_id": reason})


def _chosen(user_id: int, coupon_id: int, result: Quote) -> CouponOffer:
    """The coupon the shopper picked, or 409 with why it cannot be used (someone else's coupon
    reads as unknown: it is not theirs to know about)."""
    coupon = db.session.get(Coupon, coupon_id)
    if coupon is None or coupon.user_id != user_id:
        raise chosen_coupon_refused(_("This coupon does not exist."))
    if coupon.status in (CouponStatus.LOCKED, CouponStatus.USED):
        raise chosen_coupon_refused(_("This coupon has been used."))
    if coupon.status != CouponStatus.UNUSED:
        raise chosen_coupon_refused(_("This coupon has expired."))
    offer = price_coupon(coupon, result)
    if not offer.usable:
        raise chosen_coupon_refused(offer.reason)
    return offer


@register_step(30, "coupon", promotion=True)
def coupon_step(result: Quote) -> None:
    if result.user_id is None:
        return
    offers = [price_coupon(coupon, result) for coupon in shopper_coupons(result.user_id)]
    offers.sort(key=lambda offer: (not offer.usable, -offer.saving_fen, offer.coupon.valid_until, offer.coupon.id))
    chosen: CouponOffer | None = None
    if result.options.coupon_id is not None:
        chosen = _chosen(result.user_id, result.options.coupon_id, result)
    elif result.options.best_coupon and offers and offers[0].usable:
        chosen = offers[0]
    result.offers["coupons"] = [offer.as_dict() for offer in offers]
    result.offers["coupon_id"] = None
    if chosen is None:
        return
    template = chosen.coupon.template
    added = result.add_discount(Discount("coupon", template.name, chosen.saving_fen, ref=str(chosen.coupon.id)),
                                chosen.lines)
    if added is not None:
        result.offers["coupon_id"] = chosen.coupon.id
