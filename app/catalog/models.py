"""Categories, products, SKUs and hot search words. Prices are integer fen."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Computed,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    event,
    func,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from app.core.models import TimestampMixin
from app.extensions import db

MAX_IMAGES = 9


class Category(TimestampMixin, db.Model):
    """Two levels: a top category (parent_id is null) and its children."""

    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"), index=True)
    name: Mapped[str] = mapped_column(String(32), nullable=False)
    icon_url: Mapped[str] = mapped_column(String(512), default="", nullable=False)
    sort: Mapped[int] = mapped_column(Integer, default=0, nullable=False, comment="larger shows first")
    is_visible: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)

    children: Mapped[list[Category]] = relationship(order_by="Category.sort.desc(), Category.id")


class Product(TimestampMixin, db.Model):
    """A product (SPU); what is bought is one of its SKUs.

    On the storefront iff is_on_shelf, inside its [on_shelf_at, off_shelf_at) window when set,
    not deleted, and its category (and that category's parent) visible.
    """

    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("stock_alert_threshold >= 0", name="stock_alert_not_negative"),
        # The storefront's listings walk these indexes in order and stop at the page.
        Index("ix_products_listing", "is_on_shelf", "sort", "id"),
        Index("ix_products_price", "is_on_shelf", "min_price_fen"),
        Index("ix_products_sales", "is_on_shelf", "display_sales", "id"),
        Index("ix_products_newest", "is_on_shelf", "id"),
        # One category's listing in each sort.
        Index("ix_products_category_listing", "category_id", "sort", "id"),
        Index("ix_products_category_newest", "category_id", "id"),
        Index("ix_products_category_sales", "category_id", "display_sales", "id"),
        Index("ix_products_category_price", "category_id", "min_price_fen", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"), index=True, nullable=False)
    title: Mapped[str] = mapped_column(String(120), nullable=False)
    subtitle: Mapped[str] = mapped_column(String(255), default="", nullable=False)
    cover_url: Mapped[str] = mapped_column(String(512), default="", nullable=False)
    image_urls: Mapped[list[str]] = mapped_column(JSON, default=list, nullable=False, comment="up to 9")
    detail_html: Mapped[str] = mapped_column(Text, default="", nullable=False,
                                             comment="rich detail, sanitised when saved")
    is_on_shelf: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    on_shelf_at: Mapped[datetime | None] = mapped_column(DateTime, comment="scheduled launch (UTC)")
    off_shelf_at: Mapped[datetime | None] = mapped_column(DateTime, comment="scheduled withdrawal (UTC)")
    off_shelf_reason: Mapped[str] = mapped_column(String(16), default="", nullable=False,
                                                  comment="manual | sold_out | schedule, when off shelf")
    is_recommended: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    is_hot: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    is_new: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    sort: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    virtual_sales: Mapped[int] = mapped_column(Integer, default=0, nullable=False,
                                               comment="added to real sales for display")
    sales: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    # Stored, not virtual: MariaDB's purge of an indexed virtual column corrupted this index
    # (migration 6d1f3b5a7c92); indexed, it is what the "sales" sort reads.
    display_sales: Mapped[int] = mapped_column(Integer, Computed("sales + virtual_sales", persisted=True),
                                               nullable=True, comment="sales + virtual_sales, what shoppers see")
    share_title: Mapped[str] = mapped_column(String(64), default="", nullable=False)
    share_image_url: Mapped[str] = mapped_column(String(512), default="", nullable=False)
    shipping_template_id: Mapped[int | None] = mapped_column(ForeignKey("shipping_templates.id"), index=True,
                                                             comment="null ships free")
    spec_matrix: Mapped[list[dict]] = mapped_column(JSON, default=list, nullable=False,
                                                    comment='[{"name": "颜色", "values": ["红", "蓝"]}, ...]')
    stock_alert_threshold: Mapped[int] = mapped_column(Integer, default=10, nullable=False)
    min_price_fen: Mapped[int] = mapped_column(Integer, default=0, nullable=False,
                                               comment="cheapest SKU, kept by catalog writes for sorting")
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime)

    category: Mapped[Category] = relationship()
    skus: Mapped[list[Sku]] = relationship(back_populates="product", order_by="Sku.id")


class Sku(TimestampMixin, db.Model):
    """One purchasable combination of a product's specs, e.g. {"颜色": "红", "尺码": "M"}."""

    __tablename__ = "skus"
    __table_args__ = (
        CheckConstraint("stock >= 0", name="stock_not_negative"),
        CheckConstraint("price_fen >= 0", name="price_not_negative"),
        CheckConstraint("original_price_fen >= 0", name="original_price_not_negative"),
        CheckConstraint("cost_fen >= 0", name="cost_not_negative"),
        CheckConstraint("weight_g >= 0", name="weight_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True, nullable=False)
    specs: Mapped[dict[str, str]] = mapped_column(JSON, default=dict, nullable=False)
    price_fen: Mapped[int] = mapped_column(Integer, nullable=False)
    original_price_fen: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    cost_fen: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    stock: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    weight_g: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    code: Mapped[str] = mapped_column(String(64), default="", nullable=False)
    image_url: Mapped[str] = mapped_column(String(512), default="", nullable=False)

    product: Mapped[Product] = relationship(back_populates="skus")


class HotSearchWord(TimestampMixin, db.Model):
    """A search word the merchant wants shoppers to see first."""

    __tablename__ = "hot_search_words"

    id: Mapped[int] = mapped_column(primary_key=True)
    word: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    sort: Mapped[int] = mapped_column(Integer, default=0, nullable=False, comment="larger shows first")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)


@event.listens_for(Session, "after_flush")
def _keep_min_price(session: Session, _context) -> None:
    """Products sort and filter by their cheapest SKU; recompute it whenever SKUs are written,
    whoever writes them, so the column can never drift from the SKUs."""
    touched = {sku.product_id for sku in (*session.new, *session.dirty, *session.deleted)
               if isinstance(sku, Sku) and sku.product_id is not None}
    if not touched:
        return
    cheapest = select(func.min(Sku.price_fen)).where(Sku.product_id == Product.id).scalar_subquery()
    session.connection().execute(
        update(Product).where(Product.id.in_(touched)).values(min_price_fen=func.coalesce(cheapest, 0)),
        execution_options={"synchronize_session": False})
    session.info.setdefault("catalog_min_price_stale", set()).update(touched)


@event.listens_for(Session, "after_flush_postexec")
def _expire_min_price(session: Session, _context) -> None:
    for product_id in session.info.pop("catalog_min_price_stale", ()):
        product = session.identity_map.get(session.identity_key(Product, product_id))
        if product is not None:
            session.expire(product, ["min_price_fen"])
