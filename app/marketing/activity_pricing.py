"""Pricing step 5: an activity order's SKU price comes down to the activity's price, before
the member price and every other promotion (which run after it only if the activity lets
them stack, see `Quote.may_apply`).

The cut is a discount of the activity's kind (flash_sale, group_buy, bargain) on the one line,
so the order, the refund and the commission explain view read 原价 − 砍价 − … = 实付. An
activity price above today's SKU price takes nothing off: the shopper never pays more than
the shelf price.
"""

from __future__ import annotations

from app.orders.pricing import Discount, Quote, register_step


@register_step(5, "activity")
def activity_step(result: Quote) -> None:
    terms = result.options.activity
    if terms is None:
        return
    lines = [line for line in result.lines if line.sku.id == terms.sku_id]
    off = sum((line.sku.price_fen - terms.unit_price_fen) * line.quantity for line in lines)
    if off > 0:
        result.add_discount(Discount(terms.kind.value, terms.label, off, ref=terms.ref), lines)
