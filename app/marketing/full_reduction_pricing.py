"""Pricing step 20: full-reduction activities, after the member price and before coupons.

For each live activity, its in-scope lines and what they reach: the amount left of them after
the member discount (`remaining_fen`), or their pieces. Only the best tier reached applies
(the one saving most; on a tie the higher threshold). 满减 is shared over the activity's lines
like any discount, 满折 takes the rate off what is left of them (the discount rounded down to
the fen), 满包邮 waives the order's freight.

Overlap rule: a line joins at most one activity. While some activity reaches a tier over the
lines nobody has taken yet, the one saving most takes its lines (a tie: free shipping first,
then the most recently started, then the newer activity); the others are measured again over
what is left. An activity that reaches no tier takes nothing and only tells the shopper what
is missing ("再买¥31减20").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from app.catalog.cache import snapshot as category_snapshot
from app.catalog.models import Product
from app.core.money import BASIS_POINTS, share_of
from app.marketing import full_reduction_words as words
from app.marketing.full_reduction_cache import LiveActivity, LiveTier, live_activities
from app.marketing.full_reduction_models import ActivityScope, TierBasis
from app.orders.pricing import Discount, PricedLine, Quote, member_discount, register_step

KIND = "full_reduction"


def covers(activity: LiveActivity, product: Product | Any) -> bool:
    """Whether the activity's scope takes this product in (a chosen top category takes its
    sub-categories too)."""
    if activity.scope == ActivityScope.ALL:
        return True
    if activity.scope == ActivityScope.PRODUCTS:
        return product.id in activity.scope_ids
    if activity.scope == ActivityScope.EXCEPT_PRODUCTS:
        return product.id not in activity.scope_ids
    if product.category_id is None:
        return False
    if product.category_id in activity.scope_ids:
        return True
    children_of = category_snapshot().children_of
    return any(product.category_id in children_of.get(chosen, ()) for chosen in activity.scope_ids)


def saving_of(tier: LiveTier, amount_fen: int) -> int:
    """What the tier takes off `amount_fen` (at most all of it)."""
    if tier.pay_rate_bp < BASIS_POINTS:
        return share_of(amount_fen, BASIS_POINTS - tier.pay_rate_bp)
    return min(tier.off_fen, amount_fen)


@dataclass
class Reach:
    """How far an activity's lines get: the measure (fen or pieces), the best tier reached
    and the next tier up, if any."""

    activity: LiveActivity
    lines: list[PricedLine]
    measure: int
    amount_fen: int
    tier: LiveTier | None
    next_tier: LiveTier | None

    @property
    def saving_fen(self) -> int:
        return saving_of(self.tier, self.amount_fen) if self.tier else 0

    @property
    def rank(self) -> tuple:
        return (self.saving_fen, bool(self.tier and self.tier.free_shipping), self.activity.starts_at,
                self.activity.id)

    def hint(self) -> dict:
        """{kind, label, hint} for the preview and the cart: 满199减20 / 再买¥31减20, or 已减20."""
        basis = self.activity.basis
        if self.next_tier is not None:
            missing = self.next_tier.threshold - self.measure
            still = words.still_needed_text(basis, missing, self.next_tier)
            if self.tier is None:
                return {"kind": KIND, "label": words.tier_label(basis, self.next_tier), "hint": still}
            return {"kind": KIND, "label": words.tier_label(basis, self.tier),
                    "hint": f"{words.reached_text(self.tier)}{words.reward_separator()}{still}"}
        return {"kind": KIND, "label": words.tier_label(basis, self.tier), "hint": words.reached_text(self.tier)}


def reach(activity: LiveActivity, lines: list[PricedLine]) -> Reach:
    amount = sum(line.remaining_fen for line in lines)
    measure = sum(line.quantity for line in lines) if activity.basis == TierBasis.COUNT else amount
    reached = [tier for tier in activity.tiers if tier.threshold <= measure]
    best = max(reached, key=lambda tier: (saving_of(tier, amount), tier.threshold), default=None)
    higher = [tier for tier in activity.tiers if tier.threshold > measure]
    return Reach(activity, lines, measure, amount, best, higher[0] if higher else None)


def share_out(lines: list[PricedLine], activities: list[LiveActivity]) -> tuple[list[Reach], list[Reach]]:
    """(the activities that apply, each with the lines it takes; those that reach no tier,
    measured over the lines left), by the overlap rule above."""
    free = list(lines)
    waiting = [activity for activity in activities if any(covers(activity, line.product) for line in lines)]
    applied: list[Reach] = []
    while waiting:
        reaches = [reach(activity, [line for line in free if covers(activity, line.product)]) for activity in waiting]
        winners = [candidate for candidate in reaches if candidate.tier is not None and candidate.lines]
        if not winners:
            return applied, [candidate for candidate in reaches if candidate.lines]
        best = max(winners, key=lambda candidate: candidate.rank)
        applied.append(best)
        waiting.remove(best.activity)
        taken = {id(line) for line in best.lines}
        free = [line for line in free if id(line) not in taken]
    return applied, []


def apply(result: Quote, applied: list[Reach]) -> None:
    for chosen in applied:
        tier, label = chosen.tier, words.tier_label(chosen.activity.basis, chosen.tier)
        if chosen.saving_fen > 0:
            result.add_discount(Discount(KIND, label, chosen.saving_fen, ref=str(chosen.activity.id)), chosen.lines)
        if tier.free_shipping:
            result.waive_freight(label)
        ref = str(chosen.activity.id)
        if tier.points:
            result.gifts.append({"kind": "points", "points": tier.points, "ref": ref, "label": label})
        if tier.gift_coupon_template_id:
            result.gifts.append({"kind": "coupon", "template_id": tier.gift_coupon_template_id, "ref": ref,
                                 "label": label})


def hints(applied: list[Reach], missed: list[Reach]) -> list[dict]:
    return [chosen.hint() for chosen in sorted(applied + missed, key=lambda chosen: chosen.activity.id)]


@register_step(20, KIND, promotion=True)
def full_reduction_step(result: Quote) -> None:
    activities = live_activities()
    if not activities or not result.lines:
        result.offers.setdefault("promotions", [])
        return
    applied, missed = share_out(result.lines, activities)
    apply(result, applied)
    result.offers["promotions"] = result.offers.get("promotions", []) + hints(applied, missed)


def cart_hints(user_id: int, lines: list[PricedLine]) -> list[dict]:
    """The hints for the cart's selected lines ("再买¥31减20"), measured as checkout would:
    after the member discount."""
    activities = live_activities()
    if not activities or not lines:
        return []
    measured = Quote(lines, None, 0, user_id=user_id)
    if discount := member_discount(measured.member_level, measured.items_total_fen):
        measured.add_discount(discount)
    return hints(*share_out(measured.lines, activities))


def product_tags(product: Product | Any) -> list[dict]:
    """The live activities covering this product (anything with `id` and `category_id`), each
    with its tiers' words: the product page's tags."""
    return [{"id": activity.id, "name": activity.name,
             "tiers": [words.tier_label(activity.basis, tier) for tier in activity.tiers],
             "ends_at": activity.ends_at}
            for activity in live_activities() if covers(activity, product)]
