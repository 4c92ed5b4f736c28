"""The order export's columns and rows, read in batches by id (keyset) with everything a
batch needs in a fixed number of queries: orders, their items, buyers' nicknames, parcels."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from app.accounts.models import User
from app.core.china_time import to_beijing
from app.exports.workbook import COUNT, LINES, MONEY, TIME, Column
from app.extensions import db
from app.orders.models import Order, Parcel
from app.orders.queries import OrderFilter, search_orders
from app.orders.states import ORDER_STATUS_LABELS, PAY_METHOD_LABELS

BATCH_SIZE = 500

COLUMNS = (
    Column(_l("Order number"), width=30),
    Column(_l("Placed at"), TIME, 20),
    Column(_l("Status"), width=10),
    Column(_l("Buyer nickname"), width=16),
    Column(_l("Receiver"), width=10),
    Column(_l("Mobile"), width=14),
    Column(_l("Address"), width=36),
    Column(_l("Items"), LINES, 40),
    Column(_l("Item count"), COUNT, 8),
    Column(_l("Items amount"), MONEY, 11),
    Column(_l("Freight"), MONEY, 9),
    Column(_l("Discounts"), MONEY, 9),
    Column(_l("Payable"), MONEY, 11),
    Column(_l("Amount paid"), MONEY, 11),
    Column(_l("Refunded"), MONEY, 11),
    Column(_l("Payment method"), width=12),
    Column(_l("Paid at"), TIME, 20),
    Column(_l("Shipped at"), TIME, 20),
    Column(_l("Completed at"), TIME, 20),
    Column(_l("Tracking numbers"), LINES, 24),
    Column(_l("Buyer remark"), width=24),
    Column(_l("Merchant remark"), width=24),
)


@dataclass(frozen=True)
class OrderSelection:
    """The orders an export covers, fixed when it starts: new orders placed while it runs
    (higher ids) are left out, so the count and the file agree."""

    statement: Select
    last_id: int
    total: int


def select_orders(criteria: OrderFilter) -> OrderSelection:
    last_id = db.session.scalar(select(func.max(Order.id))) or 0
    statement = search_orders(criteria).where(Order.id <= last_id)
    total = db.session.scalar(select(func.count()).select_from(statement.order_by(None).subquery())) or 0
    return OrderSelection(statement, last_id, total)


def row_batches(selection: OrderSelection, size: int = BATCH_SIZE) -> Iterator[list[list]]:
    """Rows newest first, `size` orders at a time; each batch costs four queries."""
    before = selection.last_id + 1
    while True:
        orders = db.session.scalars(selection.statement.where(Order.id < before).limit(size)
                                    .options(selectinload(Order.items))).all()
        if not orders:
            return
        order_ids = [order.id for order in orders]
        nicknames = dict(db.session.execute(
            select(User.id, User.nickname).where(User.id.in_({order.user_id for order in orders}))).all())
        tracking: dict[int, list[str]] = defaultdict(list)
        for order_id, courier, number in db.session.execute(
                select(Parcel.order_id, Parcel.courier_name, Parcel.tracking_no)
                .where(Parcel.order_id.in_(order_ids)).order_by(Parcel.id)):
            tracking[order_id].append(f"{courier} {number}".strip())
        rows = [order_row(order, nicknames.get(order.user_id, ""), tracking[order.id]) for order in orders]
        before = order_ids[-1]
        del orders  # the caller commits and empties the session between batches
        yield rows


def order_row(order: Order, nickname: str, tracking_numbers: list[str]) -> list:
    status = str(ORDER_STATUS_LABELS.get(order.status, order.status))
    pay_method = str(PAY_METHOD_LABELS.get(order.pay_method, order.pay_method or ""))
    items = "\n".join(f"{item.title} {item.spec_text} ×{item.quantity}".replace("  ", " ")
                      for item in order.items)
    return [
        order.order_no, _local(order.created_at), str(status), nickname, order.receiver_name,
        order.receiver_phone, f"{order.region_text} {order.address_detail}", items, order.total_quantity,
        order.items_total_fen, order.freight_fen, order.discount_fen, order.payable_fen, order.paid_fen,
        order.refunded_fen, str(pay_method), _local(order.paid_at), _local(order.shipped_at),
        _local(order.completed_at), "\n".join(tracking_numbers), order.shopper_remark, order.merchant_remark,
    ]


def _local(moment):
    """Beijing wall-clock time without a zone (Excel has none)."""
    local = to_beijing(moment)
    return local.replace(tzinfo=None, microsecond=0) if local else None
