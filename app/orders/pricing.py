"""What an order would cost, computed on the server from the SKUs as they are now.

Nothing the client sends about prices is used. A quote is goods lines + freight (per the
products' shipping templates) − discounts. The discounts come from a pipeline of steps run in
a fixed order (activity price, member level, full-reduction, coupon, points — see `register_step`); each step
sees what the steps before it left of each line and adds at most one discount, which is shared
over the lines in its scope in proportion to what is left of them (largest remainder), so every
discount's shares add up to it exactly and no line ever goes below zero. Each line keeps its
share of every discount (`PricedLine.parts`, stored on the order item), which is what the
commission explain view shows and what a refund gives back.

An activity order (app.orders.activity) is priced by step 5 first; the steps registered as
promotions (member price, full-reduction, coupon, points) run on it only when the activity lets
them stack — the pipeline asks `Quote.may_apply`, the steps never do.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.addresses.models import Address
from app.cart.services import spec_text, visible_product_ids
from app.catalog.models import Product, Sku
from app.catalog.visibility import sold_out_off_shelf_ids
from app.core.errors import Conflict, ValidationError
from app.core.money import BASIS_POINTS, share_of
from app.extensions import db
from app.members.models import MemberLevel
from app.members.services import level_of
from app.orders.activity import ACTIVITY_KIND_LABELS, ActivityTerms
from app.shipping.freight import FreightLine, quote_freight


@dataclass
class PricedLine:
    sku: Sku
    product: Product
    quantity: int
    discount_fen: int = 0
    parts: list[dict] = field(default_factory=list)  # [{kind, ref, amount_fen[, points]}], one per discount

    @property
    def unit_price_fen(self) -> int:
        return self.sku.price_fen

    @property
    def line_total_fen(self) -> int:
        return self.sku.price_fen * self.quantity

    @property
    def remaining_fen(self) -> int:
        """What is left of this line after the discounts so far: the next step's weight."""
        return self.line_total_fen - self.discount_fen

    @property
    def spec_text(self) -> str:
        return spec_text(self.sku.specs)

    @property
    def image_url(self) -> str:
        return self.sku.image_url or self.product.cover_url


DISCOUNT_KIND_LABELS = {
    "member_level": _l("Member price"), "full_reduction": _l("Full-reduction activity"),
    "coupon": _l("Coupon"), "points": _l("Points deduction"),
    **ACTIVITY_KIND_LABELS,  # an activity order's price cut: 秒杀, 拼团, 砍价
}


def discount_kind_label(kind: str) -> str:
    return str(DISCOUNT_KIND_LABELS.get(kind, kind))


@dataclass
class Discount:
    kind: str  # member_level | full_reduction | coupon | points | an activity kind (flash_sale, ...)
    label: str
    amount_fen: int
    ref: str = ""
    points: int = 0  # points spent (kind points)

    def as_dict(self) -> dict:
        answer = {"kind": self.kind, "label": self.label, "amount_fen": self.amount_fen, "ref": self.ref}
        if self.points:
            answer["points"] = self.points
        return answer


@dataclass(frozen=True)
class PricingOptions:
    """What the shopper chose at checkout. `coupon_id` None with `best_coupon` picks the coupon
    that saves most (the preview's default); None without it uses no coupon."""

    coupon_id: int | None = None
    best_coupon: bool = True
    points: int = 0
    activity: ActivityTerms | None = None  # an activity order's terms (priced by step 5)


@dataclass
class Quote:
    lines: list[PricedLine]
    address: Address | None
    freight_fen: int
    discounts: list[Discount] = field(default_factory=list)
    user_id: int | None = None
    options: PricingOptions = field(default_factory=PricingOptions)
    freight_waived_by: str = ""  # the label of what made delivery free (e.g. a 满包邮 activity)
    offers: dict[str, Any] = field(default_factory=dict)  # what the steps tell the preview (coupons to pick, …)
    # What the order earns when it completes (taken back if it is refunded in full): a
    # full-reduction tier's points or coupon. [{kind: points|coupon, points|template_id, ref, label}]
    gifts: list[dict] = field(default_factory=list)

    @property
    def items_total_fen(self) -> int:
        return sum(line.line_total_fen for line in self.lines)

    @cached_property
    def member_level(self) -> MemberLevel | None:
        """The shopper's member level, read once for every step that prices by it."""
        return level_of(self.user_id) if self.user_id is not None else None

    @property
    def discount_fen(self) -> int:
        return sum(discount.amount_fen for discount in self.discounts)

    @property
    def payable_fen(self) -> int:
        return self.items_total_fen + self.freight_fen - self.discount_fen

    @property
    def total_quantity(self) -> int:
        return sum(line.quantity for line in self.lines)

    def remaining_fen(self, lines: list[PricedLine] | None = None) -> int:
        return sum(line.remaining_fen for line in (self.lines if lines is None else lines))

    def add_discount(self, discount: Discount, lines: list[PricedLine] | None = None) -> Discount | None:
        """Take `discount` off `lines` (all lines when None), shared by what is left of each;
        capped at what is left, and dropped when nothing comes off. Returns what was added.
        A points discount also shares its points, in proportion to the fen shares (its step
        prices it to fit: capping it here would break its rate)."""
        lines = self.lines if lines is None else lines
        left = self.remaining_fen(lines)
        if discount.points and discount.amount_fen > left:
            raise ValueError("a points discount is priced by its step to fit what is left")
        discount.amount_fen = min(discount.amount_fen, left)
        if discount.amount_fen <= 0:
            return None
        shares = allocate(discount.amount_fen, [line.remaining_fen for line in lines])
        point_shares = allocate(discount.points, shares, capped=False) if discount.points else [0] * len(lines)
        for line, share, points in zip(lines, shares, point_shares, strict=True):
            if share <= 0 and points <= 0:
                continue
            line.discount_fen += share
            part = {"kind": discount.kind, "ref": discount.ref, "amount_fen": share}
            if points:
                part["points"] = points
            line.parts.append(part)
        self.discounts.append(discount)
        return discount

    def may_apply(self, promotion: bool) -> bool:
        """Whether a step runs on this quote: a promotion step only when the quote is not an
        activity order, or its activity lets the promotions stack."""
        activity = self.options.activity
        return not promotion or activity is None or activity.stacks

    def waive_freight(self, label: str) -> None:
        if self.freight_fen > 0:
            self.freight_waived_by = label
        self.freight_fen = 0


PricingStep = Callable[[Quote], None]
_steps: list[tuple[int, str, PricingStep, bool]] = []


def register_step(order: int, name: str, *, promotion: bool = False) -> Callable[[PricingStep], PricingStep]:
    """Add a step to the pipeline (run in `order`, low first; a name registers once). Built in:
    10 member level; promotions register 5 activity price, 20 full-reduction, 30 coupon,
    40 points. A `promotion` step is skipped on an activity order whose activity does not
    stack (see `Quote.may_apply`)."""

    def decorator(step: PricingStep) -> PricingStep:
        if name not in {entry[1] for entry in _steps}:
            _steps.append((order, name, step, promotion))
            _steps.sort(key=lambda entry: entry[0])
        return step

    return decorator


def merge_requests(requested: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """(sku_id, quantity) pairs with repeated SKUs added up, in first-seen order."""
    merged: OrderedDict[int, int] = OrderedDict()
    for sku_id, quantity in requested:
        merged[sku_id] = merged.get(sku_id, 0) + quantity
    return list(merged.items())


def priced_lines(requested: list[tuple[int, int]]) -> list[PricedLine]:
    """The requested SKUs at today's prices; 422 naming every SKU that is gone or not on sale,
    409 naming the SKUs short of stock when a product was taken off shelf only for selling out
    (that is a stock answer, not "no longer on sale")."""
    requested = merge_requests(requested)
    skus = {sku.id: sku for sku in db.session.scalars(select(Sku).where(Sku.id.in_([s for s, _q in requested])))}
    products = {p.id: p for p in db.session.scalars(
        select(Product).where(Product.id.in_({sku.product_id for sku in skus.values()})))}
    visible = visible_product_ids(set(products))
    shelved_sold_out = sold_out_off_shelf_ids(set(products) - visible)
    fields: dict[str, str] = {}
    lines, sold_out = [], []
    for sku_id, quantity in requested:
        sku = skus.get(sku_id)
        if sku is None:
            fields[f"sku.{sku_id}"] = _("This item no longer exists.")
        elif sku.product_id in shelved_sold_out and quantity > sku.stock:
            sold_out.append((sku, products[sku.product_id], quantity))
        elif sku.product_id not in visible:
            fields[f"sku.{sku_id}"] = _("“%(title)s” is no longer on sale.", title=products[sku.product_id].title)
        elif quantity > 999:
            fields[f"sku.{sku_id}"] = _("At most %(n)s of one item.", n=999)
        else:
            lines.append(PricedLine(sku, products[sku.product_id], quantity))
    if fields:
        raise ValidationError(_("Some items can no longer be bought."), code="items_unavailable", fields=fields)
    if sold_out:
        raise insufficient_stock(sold_out + [(line.sku, line.product, line.quantity) for line in lines
                                             if line.quantity > line.sku.stock])
    return lines


def insufficient_stock(lines: list[tuple[Sku, Product, int]]) -> Conflict:
    """409 naming each SKU without enough stock."""
    fields = {f"sku.{sku.id}": _("“%(title)s” has only %(n)s left.", title=product.title, n=sku.stock)
              if sku.stock > 0 else _("“%(title)s” is sold out.", title=product.title)
              for sku, product, _quantity in lines}
    return Conflict(_("Some items do not have enough stock."), code="insufficient_stock", fields=fields)


def check_stock(lines: list[PricedLine]) -> None:
    """The preview's (advisory) stock check; placing the order takes the stock for real."""
    short = [(line.sku, line.product, line.quantity) for line in lines if line.quantity > line.sku.stock]
    if short:
        raise insufficient_stock(short)


def member_discount(level: MemberLevel | None, items_total_fen: int) -> Discount | None:
    """The member level's discount on the goods (not on freight), rounded down."""
    if level is None or level.discount_bp >= BASIS_POINTS:
        return None
    amount = share_of(items_total_fen, BASIS_POINTS - max(level.discount_bp, 0))
    if amount <= 0:
        return None
    return Discount("member_level", _("Member price (%(level)s)", level=level.name), amount, str(level.id))


@register_step(10, "member_level", promotion=True)
def _member_level_step(result: Quote) -> None:
    if discount := member_discount(result.member_level, result.items_total_fen):
        result.add_discount(discount)


def allocate(total: int, weights: list[int], *, capped: bool = True) -> list[int]:
    """Split `total` over lines in proportion to `weights` by largest remainder: each line
    gets the whole part of its exact share, and the units left over go one each to the lines
    with the largest fractions (the earlier line on a tie). The shares add up exactly and,
    when `capped` (fen off a line), none exceeds its weight; points spread over fen shares are
    not capped."""
    whole = sum(weights)
    if total < 0 or (capped and total > whole):
        raise ValueError("the discount must be between 0 and the total")
    if not weights or total == 0:
        return [0] * len(weights)
    if whole == 0:
        raise ValueError("nothing to share over")
    shares = [total * weight // whole for weight in weights]
    left = total - sum(shares)
    by_fraction = sorted(range(len(weights)), key=lambda index: (-(total * weights[index] % whole), index))
    for index in by_fraction[:left]:
        shares[index] += 1
    return shares


def freight_for(lines: list[PricedLine], address: Address | None) -> int:
    if address is None:
        return 0
    return quote_freight([FreightLine(line.product.shipping_template_id, line.quantity, line.sku.weight_g,
                                      line.line_total_fen) for line in lines], address.region_code).total_fen


def quote(user_id: int, requested: list[tuple[int, int]], address: Address | None,
          options: PricingOptions | None = None) -> Quote:
    """Price these lines for this shopper, delivered to `address` (no freight without one),
    through every registered step."""
    lines = priced_lines(requested)
    result = Quote(lines, address, freight_for(lines, address), user_id=user_id, options=options or PricingOptions())
    for _order, _name, step, promotion in list(_steps):
        if result.may_apply(promotion):
            step(result)
    return result
