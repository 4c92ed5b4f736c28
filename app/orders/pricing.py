"""What an order would cost, computed on the server from the SKUs as they are now.

Nothing the client sends about prices is used. A quote is goods lines + freight (per the
products' shipping templates) − discounts. Discounts are a list so that coupons can join
the member-level discount later; each order item carries its share of the total discount,
in proportion to its line total (rounded down, the last item taking the remainder), so the
items' discounts always add up to the order's exactly.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from app.addresses.models import Address
from app.cart.services import spec_text, visible_product_ids
from app.catalog.models import Product, Sku
from app.catalog.visibility import sold_out_off_shelf_ids
from app.core.errors import Conflict, ValidationError
from app.core.money import BASIS_POINTS, share_of
from app.extensions import db
from app.members.models import MemberLevel, Wallet
from app.shipping.freight import FreightLine, quote_freight


@dataclass
class PricedLine:
    sku: Sku
    product: Product
    quantity: int
    discount_fen: int = 0

    @property
    def unit_price_fen(self) -> int:
        return self.sku.price_fen

    @property
    def line_total_fen(self) -> int:
        return self.sku.price_fen * self.quantity

    @property
    def spec_text(self) -> str:
        return spec_text(self.sku.specs)

    @property
    def image_url(self) -> str:
        return self.sku.image_url or self.product.cover_url


@dataclass
class Discount:
    kind: str  # member_level | coupon (later)
    label: str
    amount_fen: int
    ref: str = ""

    def as_dict(self) -> dict:
        return {"kind": self.kind, "label": self.label, "amount_fen": self.amount_fen, "ref": self.ref}


@dataclass
class Quote:
    lines: list[PricedLine]
    address: Address | None
    freight_fen: int
    discounts: list[Discount] = field(default_factory=list)

    @property
    def items_total_fen(self) -> int:
        return sum(line.line_total_fen for line in self.lines)

    @property
    def discount_fen(self) -> int:
        return sum(discount.amount_fen for discount in self.discounts)

    @property
    def payable_fen(self) -> int:
        return self.items_total_fen + self.freight_fen - self.discount_fen

    @property
    def total_quantity(self) -> int:
        return sum(line.quantity for line in self.lines)


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


def member_discount(user_id: int, items_total_fen: int) -> Discount | None:
    """The shopper's member-level discount on the goods (not on freight), rounded down."""
    level = db.session.scalar(select(MemberLevel).join(Wallet, Wallet.level_id == MemberLevel.id)
                              .where(Wallet.user_id == user_id))
    if level is None or level.discount_bp >= BASIS_POINTS:
        return None
    amount = share_of(items_total_fen, BASIS_POINTS - max(level.discount_bp, 0))
    if amount <= 0:
        return None
    return Discount("member_level", _("Member price (%(level)s)", level=level.name), amount, str(level.id))


def allocate(total_fen: int, weights: list[int]) -> list[int]:
    """Split `total_fen` over lines in proportion to `weights` (rounded down, the last line
    taking the remainder); no share exceeds its weight, and the shares add up exactly."""
    whole = sum(weights)
    if total_fen < 0 or total_fen > whole:
        raise ValueError("the discount must be between 0 and the total")
    if not weights:
        return []
    shares = [total_fen * weight // whole for weight in weights[:-1]]
    shares.append(total_fen - sum(shares))
    # The remainder can overflow a tiny last line: hand the excess to the others, from the end.
    excess = shares[-1] - weights[-1]
    if excess > 0:
        shares[-1] = weights[-1]
        for index in range(len(shares) - 2, -1, -1):
            given = min(weights[index] - shares[index], excess)
            shares[index] += given
            excess -= given
    return shares


def freight_for(lines: list[PricedLine], address: Address | None) -> int:
    if address is None:
        return 0
    return quote_freight([FreightLine(line.product.shipping_template_id, line.quantity, line.sku.weight_g,
                                      line.line_total_fen) for line in lines], address.region_code).total_fen


def quote(user_id: int, requested: list[tuple[int, int]], address: Address | None) -> Quote:
    """Price these lines for this shopper, delivered to `address` (no freight without one)."""
    lines = priced_lines(requested)
    result = Quote(lines, address, freight_for(lines, address))
    level_discount = member_discount(user_id, result.items_total_fen)
    if level_discount is not None:
        result.discounts.append(level_discount)
    for line, share in zip(lines, allocate(result.discount_fen, [line.line_total_fen for line in lines]),
                           strict=True):
        line.discount_fen = share
    return result
