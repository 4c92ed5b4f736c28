"""The shopper's cart: list with flags and promotion hints, add, change, select, remove, clear
invalid lines."""

from __future__ import annotations

from typing import Annotated

from flask import jsonify
from pydantic import BaseModel, Field

from app.api import bp
from app.api.current_user import current_user, login_required
from app.cart import services as cart
from app.cart.services import MAX_LINES, MAX_QUANTITY
from app.core.request_models import Body
from app.core.validation import documented, use_body
from app.extensions import db
from app.marketing.full_reduction_pricing import cart_hints
from app.orders.pricing import PricedLine

ItemId = Annotated[int, Field(ge=1, le=2_000_000_000)]


class CartAddIn(Body):
    sku_id: ItemId
    quantity: int = Field(1, ge=1, le=MAX_QUANTITY)


class CartChangeIn(Body):
    quantity: int | None = Field(None, ge=1, le=MAX_QUANTITY)
    selected: bool | None = None


class CartSelectIn(Body):
    selected: bool
    ids: list[ItemId] | None = Field(None, max_length=MAX_LINES, description="omit for every line")


class CartRemoveIn(Body):
    ids: list[ItemId] = Field(min_length=1, max_length=MAX_LINES)


class CartLineOut(BaseModel):
    id: int
    sku_id: int
    product_id: int
    title: str
    spec_text: str
    image_url: str
    price_fen: int = Field(description="the current price")
    seen_price_fen: int = Field(description="the price shown before (differs when price_changed)")
    quantity: int
    stock: int
    selected: bool
    purchasable: bool
    flags: list[str] = Field(description="sku_gone, deleted, off_shelf, sold_out, insufficient_stock, price_changed")


class CartTotalsOut(BaseModel):
    lines: int
    quantity: int
    amount_fen: int


class CartPromotionOut(BaseModel):
    kind: str = Field(description="full_reduction")
    label: str = Field(description="e.g. 满199减20")
    hint: str = Field(description="over the selected lines: e.g. 再买¥31减20, or 已减20")


class CartOut(BaseModel):
    items: list[CartLineOut]
    totals: CartTotalsOut
    promotions: list[CartPromotionOut]


def line_out(line: cart.CartLine) -> dict:
    sku, product, item = line.sku, line.product, line.item
    return {
        "id": item.id, "sku_id": item.sku_id, "product_id": item.product_id,
        "title": product.title if product else "", "spec_text": cart.spec_text(sku.specs) if sku else "",
        "image_url": (sku.image_url or product.cover_url) if sku and product else "",
        "price_fen": line.price_fen, "seen_price_fen": line.seen_price_fen, "quantity": item.quantity,
        "stock": max(sku.stock, 0) if sku else 0, "selected": item.is_selected,
        "purchasable": line.purchasable, "flags": line.flags,
    }


def _cart_answer(status: int = 200):
    """The whole cart; showing it acknowledges changed prices (flagged this once)."""
    user_id = current_user().id
    lines = cart.cart_lines(user_id, acknowledge_prices=True)
    hints = cart_hints(user_id, [PricedLine(line.sku, line.product, line.item.quantity) for line in lines
                                 if line.item.is_selected and line.purchasable])
    db.session.commit()
    return jsonify(items=[line_out(line) for line in lines], totals=cart.totals(lines), promotions=hints), status


@bp.get("/cart")
@documented(summary="The cart, each line flagged with why it cannot be bought now", response=CartOut,
            auth=True, tags=("cart",))
@login_required
def cart_list():
    return _cart_answer()


@bp.post("/cart")
@documented(summary="Add a SKU (merged into its line)", response=CartOut, auth=True, tags=("cart",), status=201)
@login_required
@use_body(CartAddIn)
def cart_add(body: CartAddIn):
    cart.add_to_cart(current_user().id, body.sku_id, body.quantity)
    return _cart_answer(201)


@bp.patch("/cart/<int:item_id>")
@documented(summary="Change a line's quantity or selection", response=CartOut, auth=True, tags=("cart",))
@login_required
@use_body(CartChangeIn)
def cart_change(item_id: int, body: CartChangeIn):
    cart.change_line(current_user().id, item_id, quantity=body.quantity, selected=body.selected)
    return _cart_answer()


@bp.delete("/cart/<int:item_id>")
@documented(summary="Remove a line", response=CartOut, auth=True, tags=("cart",))
@login_required
def cart_remove_one(item_id: int):
    cart.remove_lines(current_user().id, [item_id])
    return _cart_answer()


@bp.post("/cart/select")
@documented(summary="Select or unselect some lines, or all", response=CartOut, auth=True, tags=("cart",))
@login_required
@use_body(CartSelectIn)
def cart_select(body: CartSelectIn):
    cart.select_lines(current_user().id, body.selected, body.ids)
    return _cart_answer()


@bp.post("/cart/remove")
@documented(summary="Remove several lines", response=CartOut, auth=True, tags=("cart",))
@login_required
@use_body(CartRemoveIn)
def cart_remove(body: CartRemoveIn):
    cart.remove_lines(current_user().id, body.ids)
    return _cart_answer()


@bp.post("/cart/clear-invalid")
@documented(summary="Remove lines that are gone, deleted, off shelf or sold out", response=CartOut,
            auth=True, tags=("cart",))
@login_required
def cart_clear_invalid():
    cart.clear_invalid(current_user().id)
    return _cart_answer()
