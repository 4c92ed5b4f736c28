"""Small factories: build just the rows a test needs, committed like real data."""

from __future__ import annotations

import itertools

from app.catalog.models import Category, Product, Sku
from app.extensions import db

_sequence = itertools.count(1)


def category(name: str | None = None, *, parent: Category | None = None, visible: bool = True) -> Category:
    row = Category(name=name or f"分类{next(_sequence)}", parent_id=parent.id if parent else None,
                   is_visible=visible)
    db.session.add(row)
    db.session.commit()
    return row


def product(in_category: Category, title: str | None = None, *, price_fen: int = 1990,
            on_shelf: bool = True, skus: int = 1, stock: int = 10, weight_g: int = 0,
            shipping_template_id: int | None = None, **fields) -> Product:
    row = Product(category_id=in_category.id, title=title or f"商品{next(_sequence)}", is_on_shelf=on_shelf,
                  shipping_template_id=shipping_template_id,
                  spec_matrix=[{"name": "规格", "values": [f"款{index + 1}" for index in range(skus)]}], **fields)
    db.session.add(row)
    db.session.flush()
    for index in range(skus):
        db.session.add(Sku(product_id=row.id, specs={"规格": f"款{index + 1}"}, price_fen=price_fen + index * 100,
                           stock=stock, weight_g=weight_g))
    db.session.commit()
    return row
