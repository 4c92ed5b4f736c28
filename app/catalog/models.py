"""Categories, products and SKUs. Prices are integer fen."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, CheckConstraint, DateTime, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models import TimestampMixin
from app.extensions import db


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
    """A product (SPU); what is bought is one of its SKUs."""

    __tablename__ = "products"

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("categories.id"), index=True, nullable=False)
    title: Mapped[str] = mapped_column(String(120), nullable=False)
    subtitle: Mapped[str] = mapped_column(String(255), default="", nullable=False)
    cover_url: Mapped[str] = mapped_column(String(512), default="", nullable=False)
    image_urls: Mapped[list[str]] = mapped_column(JSON, default=list, nullable=False, comment="up to 9")
    is_on_shelf: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    is_recommended: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    is_hot: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    is_new: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    sort: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    virtual_sales: Mapped[int] = mapped_column(Integer, default=0, nullable=False,
                                               comment="added to real sales for display")
    sales: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime)

    category: Mapped[Category] = relationship()
    skus: Mapped[list[Sku]] = relationship(back_populates="product", order_by="Sku.id")


class Sku(TimestampMixin, db.Model):
    """One purchasable combination of a product's specs, e.g. {"颜色": "红", "尺码": "M"}."""

    __tablename__ = "skus"
    __table_args__ = (
        CheckConstraint("stock >= 0", name="stock_not_negative"),
        CheckConstraint("price_fen >= 0", name="price_not_negative"),
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
