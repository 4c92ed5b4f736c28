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


def shopper(name: str | None = None):
    """A shopper (User) row, as WeChat login would create it."""
    from app.accounts.models import User

    row = User(nickname=name or f"顾客{next(_sequence)}")
    db.session.add(row)
    db.session.commit()
    return row


def order(user, lines, *, status: str = "pending_payment", pay_method: str | None = None,
          freight_fen: int = 0, discount_fen: int = 0, **fields):
    """An order as checkout would have written it: `lines` are (sku, quantity) pairs, the
    discount spread over the items in proportion (the last item takes the remainder), the
    stock taken. For tests of what happens *after* an order exists (pay, ship, refund)."""
    from datetime import timedelta

    from app.catalog import stock
    from app.core.models import utcnow
    from app.orders.models import Order, OrderItem
    from app.payments.records import new_number

    totals = [sku.price_fen * quantity for sku, quantity in lines]
    items_total = sum(totals)
    shares, left = [], discount_fen
    for index, total in enumerate(totals):
        share = left if index == len(totals) - 1 else discount_fen * total // items_total
        shares.append(share)
        left -= share
    now = utcnow()
    paid = status in {"paid", "shipped", "completed"}
    row = Order(order_no=new_number("D")[:32], user_id=user.id, idempotency_key=new_number("K"), status=status,
                pay_method=pay_method or ("wechat" if paid else None), items_total_fen=items_total,
                freight_fen=freight_fen, discount_fen=discount_fen,
                payable_fen=items_total + freight_fen - discount_fen,
                paid_fen=(items_total + freight_fen - discount_fen) if paid and pay_method != "cod" else 0,
                total_quantity=sum(quantity for _sku, quantity in lines),
                receiver_name="张三", receiver_phone="13800138000", region_code="440305",
                region_text="广东省 深圳市 南山区", address_detail="科技园1号",
                pay_deadline=now + timedelta(minutes=30), **{"paid_at": now if paid else None, **fields})
    db.session.add(row)
    db.session.flush()
    for (sku, quantity), total, share in zip(lines, totals, shares, strict=True):
        assert stock.take(sku.id, quantity), "not enough stock for the test order"
        db.session.add(OrderItem(order_id=row.id, product_id=sku.product_id, sku_id=sku.id,
                                 title=sku.product.title, spec_text=" / ".join(sku.specs.values()),
                                 unit_price_fen=sku.price_fen, unit_cost_fen=sku.cost_fen, quantity=quantity,
                                 line_total_fen=total, discount_fen=share, paid_fen=total - share,
                                 shipped_quantity=quantity if status in {"shipped", "completed"} else 0))
    db.session.commit()
    return row
