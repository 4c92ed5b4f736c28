"""The shopper's cart: lines per SKU, shown with the current price and every reason a line
cannot be bought right now (flagged, never silently dropped)."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError

from app.cart.models import CartItem
from app.catalog.models import Product, Sku
from app.catalog.visibility import sold_out_off_shelf_ids, visible_clause
from app.core.errors import Conflict, NotFound, ValidationError
from app.extensions import db

MAX_QUANTITY = 999
MAX_LINES = 100

# Flags that make a line unbuyable as it is; clear_invalid() removes lines with the first four.
GONE_FLAGS = ("sku_gone", "deleted", "off_shelf", "sold_out")


def spec_text(specs: dict[str, str] | None) -> str:
    """A SKU's spec values as shoppers read them: "红色 / XL"."""
    return " / ".join(str(value) for value in (specs or {}).values())


def visible_product_ids(product_ids: set[int]) -> set[int]:
    """Which of these products the storefront shows right now."""
    if not product_ids:
        return set()
    return set(db.session.scalars(select(Product.id).where(Product.id.in_(product_ids), visible_clause())))


@dataclass
class CartLine:
    """One cart line as the shopper sees it now."""

    item: CartItem
    sku: Sku | None
    product: Product | None
    visible: bool
    seen_price_fen: int
    flags: list[str] = field(default_factory=list)

    @property
    def purchasable(self) -> bool:
        return not self.flags or self.flags == ["price_changed"]

    @property
    def price_fen(self) -> int:
        return self.sku.price_fen if self.sku is not None else self.seen_price_fen


def _flags(item: CartItem, sku: Sku | None, product: Product | None, visible: bool,
           shelved_sold_out: bool = False) -> list[str]:
    if sku is None or product is None or sku.product_id != item.product_id:
        return ["sku_gone"]
    flags = []
    if product.deleted_at is not None:
        flags.append("deleted")
    elif not visible and not (shelved_sold_out and sku.stock <= 0):  # off shelf only for selling out: sold out
        flags.append("off_shelf")
    if sku.stock <= 0:
        flags.append("sold_out")
    elif item.quantity > sku.stock:
        flags.append("insufficient_stock")
    if sku.price_fen != item.seen_price_fen:
        flags.append("price_changed")
    return flags


def cart_lines(user_id: int, *, acknowledge_prices: bool = False) -> list[CartLine]:
    """The shopper's lines, newest first, each with its flags. `acknowledge_prices` records the
    current price as seen (the shopper is looking at it), after the change has been flagged."""
    rows = db.session.execute(
        select(CartItem, Sku, Product).outerjoin(Sku, Sku.id == CartItem.sku_id)
        .outerjoin(Product, Product.id == Sku.product_id)
        .where(CartItem.user_id == user_id).order_by(CartItem.id.desc())).all()
    product_ids = {product.id for _item, _sku, product in rows if product is not None}
    visible = visible_product_ids(product_ids)
    shelved_sold_out = sold_out_off_shelf_ids(product_ids - visible)
    lines = []
    for item, sku, product in rows:
        shown = product is not None and product.id in visible
        flags = _flags(item, sku, product, shown, product is not None and product.id in shelved_sold_out)
        lines.append(CartLine(item, sku, product, shown, item.seen_price_fen, flags))
        if acknowledge_prices and sku is not None and item.seen_price_fen != sku.price_fen:
            item.seen_price_fen = sku.price_fen
    db.session.flush()
    return lines


def totals(lines: list[CartLine]) -> dict[str, int]:
    """What the selected, purchasable lines add up to."""
    chosen = [line for line in lines if line.item.is_selected and line.purchasable]
    return {"lines": len(chosen), "quantity": sum(line.item.quantity for line in chosen),
            "amount_fen": sum(line.price_fen * line.item.quantity for line in chosen)}


def _check_quantity(quantity: int) -> None:
    if not 1 <= quantity <= MAX_QUANTITY:
        raise ValidationError(_("Some fields are invalid."), fields={
            "quantity": _("Between %(low)s and %(high)s.", low=1, high=MAX_QUANTITY)})


def _insufficient(sku: Sku) -> Conflict:
    return Conflict(_("Only %(n)s left in stock.", n=sku.stock), code="insufficient_stock",
                    fields={"quantity": _("Only %(n)s left in stock.", n=sku.stock)})


def add_to_cart(user_id: int, sku_id: int, quantity: int) -> CartItem:
    """Put `quantity` units of a SKU in the cart, merging into its existing line."""
    _check_quantity(quantity)
    sku = db.session.get(Sku, sku_id)
    if sku is None or sku.product_id not in visible_product_ids({sku.product_id}):
        raise NotFound(_("This product is not available."), code="product_not_found",
                       fields={"sku_id": _("This product is not available.")})
    item = db.session.scalar(select(CartItem).where(CartItem.user_id == user_id, CartItem.sku_id == sku_id)
                             .with_for_update())
    wanted = quantity + (item.quantity if item else 0)
    if wanted > MAX_QUANTITY:
        raise ValidationError(_("At most %(n)s of one item.", n=MAX_QUANTITY), code="quantity_limit",
                              fields={"quantity": _("At most %(n)s of one item.", n=MAX_QUANTITY)})
    if wanted > sku.stock:
        raise _insufficient(sku)
    if item is not None:
        item.quantity, item.seen_price_fen, item.is_selected = wanted, sku.price_fen, True
        db.session.flush()
        return item
    count = db.session.scalar(select(func.count()).select_from(CartItem).where(CartItem.user_id == user_id))
    if count >= MAX_LINES:
        raise ValidationError(_("The cart holds at most %(n)s items.", n=MAX_LINES), code="cart_full")
    item = CartItem(user_id=user_id, product_id=sku.product_id, sku_id=sku.id, quantity=quantity,
                    is_selected=True, seen_price_fen=sku.price_fen)
    db.session.add(item)
    try:
        db.session.flush()
    except IntegrityError as exc:  # the same SKU added twice at the same moment
        db.session.rollback()
        raise Conflict(_("Please try again."), code="retry") from exc
    return item


def own_line(user_id: int, item_id: int) -> CartItem:
    """A line of this shopper's cart; another shopper's line is simply not found."""
    item = db.session.scalar(select(CartItem).where(CartItem.id == item_id, CartItem.user_id == user_id))
    if item is None:
        raise NotFound(_("This cart item does not exist."), code="cart_item_not_found")
    return item


def _own_ids(user_id: int, item_ids: list[int]) -> list[int]:
    """The ids, all of which must be this shopper's lines (else 404 and nothing changes)."""
    wanted = set(item_ids)
    found = set(db.session.scalars(select(CartItem.id).where(CartItem.id.in_(wanted), CartItem.user_id == user_id)))
    if found != wanted:
        raise NotFound(_("This cart item does not exist."), code="cart_item_not_found")
    return sorted(found)


def change_line(user_id: int, item_id: int, *, quantity: int | None = None,
                selected: bool | None = None) -> CartItem:
    item = own_line(user_id, item_id)
    if quantity is not None:
        _check_quantity(quantity)
        sku = db.session.get(Sku, item.sku_id) if item.sku_id is not None else None
        if sku is not None and quantity > item.quantity and quantity > sku.stock:
            raise _insufficient(sku)
        item.quantity = quantity
    if selected is not None:
        item.is_selected = selected
    db.session.flush()
    return item


def select_lines(user_id: int, selected: bool, item_ids: list[int] | None = None) -> int:
    """Select or unselect some lines (or all of them when `item_ids` is None)."""
    statement = update(CartItem).where(CartItem.user_id == user_id)
    if item_ids is not None:
        statement = statement.where(CartItem.id.in_(_own_ids(user_id, item_ids)))
    return db.session.execute(statement.values(is_selected=selected)
                              .execution_options(synchronize_session="fetch")).rowcount


def remove_lines(user_id: int, item_ids: list[int]) -> int:
    ids = _own_ids(user_id, item_ids)
    return db.session.execute(delete(CartItem).where(CartItem.user_id == user_id, CartItem.id.in_(ids))
                              .execution_options(synchronize_session="fetch")).rowcount


def clear_invalid(user_id: int) -> int:
    """Remove the lines that cannot be bought at all (gone, deleted, off shelf, sold out)."""
    ids = [line.item.id for line in cart_lines(user_id) if any(flag in GONE_FLAGS for flag in line.flags)]
    if not ids:
        return 0
    return remove_lines(user_id, ids)


def selected_lines(user_id: int) -> list[CartItem]:
    return list(db.session.scalars(select(CartItem).where(CartItem.user_id == user_id,
                                                          CartItem.is_selected.is_(True)).order_by(CartItem.id)))


def remove_ordered(user_id: int, sku_ids: list[int]) -> None:
    """Ordered lines leave the cart."""
    db.session.execute(delete(CartItem).where(CartItem.user_id == user_id, CartItem.sku_id.in_(sku_ids))
                       .execution_options(synchronize_session="fetch"))
