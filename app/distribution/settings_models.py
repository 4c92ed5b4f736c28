"""What the merchant configures: the distribution settings (one row), agent levels, and
per-product commission rules. Rates are basis points; fixed amounts are fen per unit."""

from __future__ import annotations

from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models import TimestampMixin
from app.extensions import db

MAX_LEVELS = 3  # China's rules against pyramid selling (传销) stop commission at three levels


class DistributionSettings(TimestampMixin, db.Model):
    """The single settings row (id 1). Binds lock it, so binds run one at a time (see binding.py)."""

    __tablename__ = "distribution_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)
    levels: Mapped[int] = mapped_column(Integer, default=2, nullable=False, comment="0-3 commission levels")
    rate1_bp: Mapped[int] = mapped_column(Integer, default=1000, nullable=False)
    rate2_bp: Mapped[int] = mapped_column(Integer, default=500, nullable=False)
    rate3_bp: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    base: Mapped[str] = mapped_column(String(8), default="paid", nullable=False, comment="paid | profit")
    self_purchase: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False,
                                                comment="an agent's own purchase pays them level 1")
    become_agent: Mapped[str] = mapped_column(String(8), default="apply", nullable=False,
                                              comment="auto | apply | product | spend")
    become_product_ids: Mapped[list[int]] = mapped_column(JSON, default=list, nullable=False)
    become_spend_fen: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    bind_eligibility: Mapped[str] = mapped_column(String(8), default="all", nullable=False,
                                                  comment="all | new_only")
    bind_mode: Mapped[str] = mapped_column(String(10), default="permanent", nullable=False,
                                           comment="permanent | expiring | latest")
    bind_days: Mapped[int] = mapped_column(Integer, default=30, nullable=False, comment="for expiring")
    freeze_days: Mapped[int] = mapped_column(Integer, default=7, nullable=False,
                                             comment="after the order completes")
    fan_points: Mapped[int] = mapped_column(Integer, default=0, nullable=False,
                                            comment="points to an agent per genuinely new shopper; 0: off")
    fan_points_daily_cap: Mapped[int] = mapped_column(Integer, default=20, nullable=False,
                                                      comment="rewarded new shoppers per agent per Beijing day")
    withdraw_methods: Mapped[list[str]] = mapped_column(JSON, default=lambda: ["wechat", "balance"], nullable=False,
                                                        comment="wechat | balance | bank | alipay")
    withdraw_min_fen: Mapped[int] = mapped_column(Integer, default=100, nullable=False)
    withdraw_max_fen: Mapped[int] = mapped_column(Integer, default=500_000, nullable=False, comment="per request")
    withdraw_fee_bp: Mapped[int] = mapped_column(Integer, default=0, nullable=False, comment="none to balance")
    withdraw_daily_limit: Mapped[int] = mapped_column(Integer, default=3, nullable=False,
                                                      comment="requests per agent per Beijing day")
    withdraw_auto_below_fen: Mapped[int] = mapped_column(Integer, default=0, nullable=False,
                                                         comment="approved without review below this; 0: always review")

    def rates(self) -> list[int]:
        return [self.rate1_bp, self.rate2_bp, self.rate3_bp]


class AgentLevel(TimestampMixin, db.Model):
    """A named agent level whose rates (where set) override the global ones."""

    __tablename__ = "agent_levels"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(32), unique=True, nullable=False)
    rank: Mapped[int] = mapped_column(Integer, default=0, nullable=False, comment="higher is better")
    rate1_bp: Mapped[int | None] = mapped_column(Integer, comment="empty: the global rate")
    rate2_bp: Mapped[int | None] = mapped_column(Integer)
    rate3_bp: Mapped[int | None] = mapped_column(Integer)
    upgrade_rules: Mapped[dict] = mapped_column(JSON, default=dict, nullable=False,
                                                comment="{match: all|any, conditions: [...]}, for the upgrade job")

    def rate(self, level: int) -> int | None:
        return [self.rate1_bp, self.rate2_bp, self.rate3_bp][level - 1]


class ProductCommissionRule(TimestampMixin, db.Model):
    """A product's own commission: excluded, its own rates, or fixed fen per unit per SKU."""

    __tablename__ = "product_commission_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), unique=True, nullable=False)
    mode: Mapped[str] = mapped_column(String(8), nullable=False, comment="excluded | rates | fixed")
    rates_bp: Mapped[list[int]] = mapped_column(JSON, default=list, nullable=False, comment="[l1, l2, l3]")
    fixed_fen: Mapped[dict[str, list[int]]] = mapped_column(JSON, default=dict, nullable=False,
                                                            comment='{"sku_id": [l1, l2, l3]} fen per unit')
