"""One row of shop settings, edited in the console and audited."""

from __future__ import annotations

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import TimestampMixin
from app.extensions import db


class ShopSettings(TimestampMixin, db.Model):
    __tablename__ = "shop_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), default="分销商城", nullable=False)
    logo_url: Mapped[str] = mapped_column(String(512), default="", nullable=False)
    service_phone: Mapped[str] = mapped_column(String(32), default="", nullable=False)
    home_page: Mapped[str] = mapped_column(String(16), default="default", nullable=False,
                                           comment="default | category | custom")
    unpaid_close_minutes: Mapped[int] = mapped_column(Integer, default=30, nullable=False)
    auto_receive_days: Mapped[int] = mapped_column(Integer, default=7, nullable=False)
    after_sale_days: Mapped[int] = mapped_column(Integer, default=7, nullable=False)
    pay_wechat: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    pay_balance: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    pay_cod: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False, comment="cash on delivery")
    auto_off_shelf_when_sold_out: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default="0", nullable=False,
        comment="take a product off shelf when its total stock reaches 0")
    theme_mode: Mapped[str] = mapped_column(String(8), default="light", server_default="light", nullable=False,
                                            comment="the console's default look: light | dark (app.shop.theme)")
    brand_colour: Mapped[str] = mapped_column(String(16), default="blue", server_default="blue", nullable=False,
                                              comment="the console's named brand colour (app.shop.theme.BrandColour)")
