"""Orders and what hangs off them. Amounts are integer fen; a row keeps copies (snapshots)
of what the shopper saw — title, spec, price, address — so later edits never rewrite history.

Money on an order item: `line_total_fen` = unit price × quantity; `discount_fen` is the
item's share of the order's discounts (each one's share in `discount_parts`); `paid_fen` =
line total − discount is what was paid for it (freight excluded), and `refunded_fen` can
never exceed it (a check constraint).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import TimestampMixin, utcnow
from app.extensions import db
from app.orders.states import AfterSaleStatus, OrderStatus


class Order(TimestampMixin, db.Model):
    __tablename__ = "orders"
    __table_args__ = (
        UniqueConstraint("user_id", "idempotency_key", name="uq_orders_user_id_idempotency_key"),
        CheckConstraint("items_total_fen >= 0 AND freight_fen >= 0 AND discount_fen >= 0", name="amounts_positive"),
        CheckConstraint("payable_fen = items_total_fen + freight_fen - discount_fen", name="payable_adds_up"),
        CheckConstraint("payable_fen >= 0 AND paid_fen >= 0", name="payable_positive"),
        CheckConstraint("refunded_fen >= 0 AND refunded_fen <= paid_fen", name="refunds_within_paid"),
        Index("ix_orders_user_id_status_id", "user_id", "status", "id"),
        Index("ix_orders_status_created_at", "status", "created_at"),
        Index("ix_orders_status_pay_deadline", "status", "pay_deadline"),
        Index("ix_orders_status_auto_receive_at", "status", "auto_receive_at"),
        Index("ix_orders_paid_at", "paid_at"),  # the dashboard's sales by day
        # The console list (app.orders.queries), newest first: a status tab, the pay-method
        # filter, the search by phone, the overdue shipments (paid long ago, still waiting).
        Index("ix_orders_status_id", "status", "id"),
        Index("ix_orders_receiver_phone", "receiver_phone"),
        Index("ix_orders_pay_method_id", "pay_method", "id"),
        Index("ix_orders_status_paid_at", "status", "paid_at"),
        # An activity's orders (its results page, the filters): app.orders.activity
        Index("ix_orders_activity_kind_activity_id", "activity_kind", "activity_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_no: Mapped[str] = mapped_column(String(32), unique=True, nullable=False, comment="shown to people")
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), nullable=False)
    idempotency_key: Mapped[str] = mapped_column(String(64), nullable=False,
                                                 comment="from the client: a retried create returns this order")
    # active_history: a change loads the value it replaces, which the tab counters
    # (app.orders.status_counts) and the search terms (app.orders.search_index) need.
    status: Mapped[str] = mapped_column(String(20), default=OrderStatus.PENDING_PAYMENT, nullable=False,
                                        active_history=True)
    pay_method: Mapped[str | None] = mapped_column(String(16), comment="wechat | balance | cod, once chosen")
    items_total_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    freight_fen: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    discount_fen: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    discounts: Mapped[list[dict]] = mapped_column(JSON, default=list, nullable=False,
                                                  comment="[{kind, label, amount_fen, ref}] making up discount_fen")
    gifts: Mapped[list[dict] | None] = mapped_column(
        JSON, comment="earned at completion, taken back on a full refund: [{kind, points|template_id, ref, label}]")
    payable_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    paid_fen: Mapped[int] = mapped_column(Integer, default=0, nullable=False,
                                          comment="received; for cash on delivery, once delivered")
    refunded_fen: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    total_quantity: Mapped[int] = mapped_column(Integer, nullable=False)
    # Address snapshot
    receiver_name: Mapped[str] = mapped_column(String(32), nullable=False, active_history=True)
    receiver_phone: Mapped[str] = mapped_column(String(20), nullable=False)
    region_code: Mapped[str] = mapped_column(String(12), nullable=False, comment="county-level code")
    region_text: Mapped[str] = mapped_column(String(64), nullable=False, comment="省 市 区")
    address_detail: Mapped[str] = mapped_column(String(128), nullable=False)
    shopper_remark: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    merchant_remark: Mapped[str] = mapped_column(String(500), default="", nullable=False,
                                                 comment="seen only by staff")
    pay_deadline: Mapped[datetime] = mapped_column(DateTime, nullable=False, comment="closes unpaid after this")
    paid_at: Mapped[datetime | None] = mapped_column(DateTime)
    shipped_at: Mapped[datetime | None] = mapped_column(DateTime, comment="when the last unit left")
    auto_receive_at: Mapped[datetime | None] = mapped_column(DateTime, comment="received by itself after this")
    completed_at: Mapped[datetime | None] = mapped_column(DateTime)
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime)
    close_reason: Mapped[str] = mapped_column(String(32), default="", nullable=False,
                                              comment="unpaid_timeout | refunded | shopper | merchant")
    payment_id: Mapped[int | None] = mapped_column(ForeignKey("payments.id"), comment="the WeChat payment")
    exception: Mapped[str] = mapped_column(String(32), default="", nullable=False, index=True,
                                           comment="amount_mismatch | paid_after_close | ...; empty when fine")
    # An activity order (app.orders.activity); all NULL for an ordinary order.
    activity_kind: Mapped[str | None] = mapped_column(String(16), comment="flash_sale | group_buy | bargain")
    activity_id: Mapped[int | None] = mapped_column(Integer, comment="the activity (of its kind's table)")
    activity_ref: Mapped[str | None] = mapped_column(String(32), comment="e.g. the bargain id, the group id")
    activity_pays_commission: Mapped[bool | None] = mapped_column(
        comment="the activity's setting when ordered: false, the order accrues no commission")

    items: Mapped[list[OrderItem]] = relationship(back_populates="order", order_by="OrderItem.id")


class OrderItem(TimestampMixin, db.Model):
    __tablename__ = "order_items"
    __table_args__ = (
        CheckConstraint("quantity > 0 AND unit_price_fen >= 0", name="quantity_positive"),
        CheckConstraint("paid_fen = line_total_fen - discount_fen AND paid_fen >= 0", name="paid_adds_up"),
        CheckConstraint("refunded_fen >= 0 AND refunded_fen <= paid_fen", name="refunds_within_paid"),
        CheckConstraint("refunded_quantity >= 0 AND refunded_quantity <= quantity", name="refunded_within_quantity"),
        CheckConstraint("shipped_quantity >= 0 AND shipped_quantity <= quantity", name="shipped_within_quantity"),
        CheckConstraint("claimed_fen >= refunded_fen AND claimed_fen <= paid_fen", name="claims_within_paid"),
        CheckConstraint("claimed_quantity >= refunded_quantity AND claimed_quantity <= quantity",
                        name="claims_within_quantity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True, nullable=False)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True, nullable=False)
    sku_id: Mapped[int] = mapped_column(ForeignKey("skus.id"), index=True, nullable=False)
    title: Mapped[str] = mapped_column(String(120), nullable=False)
    spec_text: Mapped[str] = mapped_column(String(128), default="", nullable=False, comment="e.g. 红色 / XL")
    image_url: Mapped[str] = mapped_column(String(512), default="", nullable=False)
    sku_code: Mapped[str] = mapped_column(String(64), default="", nullable=False)
    unit_price_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    unit_cost_fen: Mapped[int] = mapped_column(Integer, default=0, nullable=False,
                                               comment="for profit-based commission")
    quantity: Mapped[int] = mapped_column(Integer, nullable=False)
    line_total_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    discount_fen: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    discount_parts: Mapped[list[dict] | None] = mapped_column(
        JSON, comment="this item's share of each order discount: [{kind, ref, amount_fen[, points]}]")
    paid_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    refunded_fen: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    refunded_quantity: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    shipped_quantity: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    claimed_fen: Mapped[int] = mapped_column(
        Integer, default=0, nullable=False,
        comment="held by open or finished after-sales (refunded included): two requests can never both fit")
    claimed_quantity: Mapped[int] = mapped_column(Integer, default=0, nullable=False)

    order: Mapped[Order] = relationship(back_populates="items")


class OrderLog(db.Model):
    """The operation log on an order: who did what and when (append-only)."""

    __tablename__ = "order_logs"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True, nullable=False)
    actor_type: Mapped[str] = mapped_column(String(16), nullable=False, comment="shopper | staff | system")
    actor_id: Mapped[int | None] = mapped_column(Integer)
    actor_name: Mapped[str] = mapped_column(String(64), default="", nullable=False)
    action: Mapped[str] = mapped_column(String(32), nullable=False, comment="e.g. created, paid, shipped")
    from_status: Mapped[str] = mapped_column(String(20), default="", nullable=False)
    to_status: Mapped[str] = mapped_column(String(20), default="", nullable=False)
    note: Mapped[str] = mapped_column(String(500), default="", nullable=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)


class Parcel(TimestampMixin, db.Model):
    """One shipment of some or all of an order's units, with its courier and tracking number."""

    __tablename__ = "parcels"
    __table_args__ = (
        UniqueConstraint("courier_code", "tracking_no", name="uq_parcels_courier_code_tracking_no"),
        Index("ix_parcels_tracking_no", "tracking_no"),  # the order search by tracking number
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True, nullable=False)
    courier_code: Mapped[str] = mapped_column(String(32), nullable=False, comment="e.g. SF, ZTO, YTO")
    courier_name: Mapped[str] = mapped_column(String(32), nullable=False)
    tracking_no: Mapped[str] = mapped_column(String(40), nullable=False)
    shipped_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, nullable=False)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_accounts.id"))

    lines: Mapped[list[ParcelLine]] = relationship(back_populates="parcel", order_by="ParcelLine.id")


class ParcelLine(db.Model):
    __tablename__ = "parcel_lines"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    parcel_id: Mapped[int] = mapped_column(ForeignKey("parcels.id"), index=True, nullable=False)
    order_item_id: Mapped[int] = mapped_column(ForeignKey("order_items.id"), index=True, nullable=False)
    quantity: Mapped[int] = mapped_column(Integer, nullable=False)

    parcel: Mapped[Parcel] = relationship(back_populates="lines")


class AfterSale(TimestampMixin, db.Model):
    """A shopper's request to refund (and maybe return) some units of one order item."""

    __tablename__ = "after_sales"
    __table_args__ = (
        CheckConstraint("quantity > 0 AND amount_fen >= 0 AND refund_points >= 0", name="amounts_not_negative"),
        Index("ix_after_sales_status_id", "status", "id"),  # the console's queue by status, newest first
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    after_sale_no: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), index=True, nullable=False)
    order_item_id: Mapped[int] = mapped_column(ForeignKey("order_items.id"), index=True, nullable=False)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True, nullable=False)
    kind: Mapped[str] = mapped_column(String(16), nullable=False, comment="refund_only | return_refund")
    status: Mapped[str] = mapped_column(String(16), default=AfterSaleStatus.REQUESTED, nullable=False)
    quantity: Mapped[int] = mapped_column(Integer, nullable=False)
    amount_fen: Mapped[int] = mapped_column(Integer, nullable=False, comment="asked for; capped by what was paid")
    refund_points: Mapped[int] = mapped_column(Integer, default=0, server_default="0", nullable=False,
                                               comment="points the refund gives back (paid with points)")
    reason: Mapped[str] = mapped_column(String(64), nullable=False)
    description: Mapped[str] = mapped_column(String(500), default="", nullable=False)
    photo_urls: Mapped[list[str]] = mapped_column(JSON, default=list, nullable=False)
    reject_reason: Mapped[str] = mapped_column(String(200), default="", nullable=False)
    return_address: Mapped[str] = mapped_column(String(200), default="", nullable=False,
                                                comment="where the shopper sends it back")
    return_courier_code: Mapped[str] = mapped_column(String(32), default="", nullable=False)
    return_tracking_no: Mapped[str] = mapped_column(String(40), default="", nullable=False)
    restock: Mapped[bool] = mapped_column(default=False, nullable=False, comment="units went back into stock")
    refund_method: Mapped[str] = mapped_column(String(16), default="", nullable=False, comment="wechat | balance | cod")
    refund_id: Mapped[int | None] = mapped_column(ForeignKey("refunds.id"), comment="the WeChat refund")
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime)
    returned_at: Mapped[datetime | None] = mapped_column(DateTime, comment="the shopper sent it back")
    received_at: Mapped[datetime | None] = mapped_column(DateTime, comment="the merchant got it back")
    refunded_at: Mapped[datetime | None] = mapped_column(DateTime)

    order: Mapped[Order] = relationship()
    item: Mapped[OrderItem] = relationship()


class OrderSearchTerm(db.Model):
    """One two-character term an order can be found by (see `app.orders.search_index`): the
    index of the order search, read one term at a time in order_id order. No foreign key: on
    MariaDB it would add a second index (on order_id) as big as the table itself."""

    __tablename__ = "order_search_terms"
    __table_args__ = ({"sqlite_with_rowid": False},)

    term: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False,
                                      comment="two characters' code points side by side (app.orders.search_terms)")
    order_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)


class OrderStatusCount(db.Model):
    """How many orders of one shard are in one status (see `app.orders.status_counts`)."""

    __tablename__ = "order_status_counts"

    status: Mapped[str] = mapped_column(String(20), primary_key=True)
    shard: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False,
                                       comment="order id modulo the shard count")
    orders: Mapped[int] = mapped_column(BigInteger, default=0, nullable=False)


class OrderDayWindow(db.Model):
    """The lowest and highest id of the orders of one shard placed on one Beijing day (see
    `app.orders.day_windows`)."""

    __tablename__ = "order_day_windows"

    day: Mapped[date] = mapped_column(Date, primary_key=True, comment="Beijing calendar day of created_at")
    shard: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False,
                                       comment="order id modulo the shard count")
    first_id: Mapped[int] = mapped_column(Integer, nullable=False)
    last_id: Mapped[int] = mapped_column(Integer, nullable=False)


# What every ORM write of an order keeps up to date in its transaction: the tab counters, the
# days' id windows and the search terms (their modules register mapper events on import).
from app.orders import day_windows, search_index, status_counts  # noqa: E402, F401
