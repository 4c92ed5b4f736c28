"""How big a generated shop is, and the shape knobs that make it look like a real one."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Size:
    users: int
    agents: int
    orders: int
    products: int

    @property
    def stars(self) -> int:
        """Agents with a huge team: the first few agents, who get a big share of every referral."""
        return max(3, self.agents // 20_000)


SIZES = {
    "big": Size(users=1_000_000, agents=100_000, orders=5_000_000, products=2_000),
    "medium": Size(users=200_000, agents=20_000, orders=1_000_000, products=1_000),
    "small": Size(users=20_000, agents=2_000, orders=50_000, products=300),
    "tiny": Size(users=400, agents=40, orders=1_000, products=30),
}

# The shape of the referral trees (tuned so a paid order writes ~1.5 ledger entries)
SHOPPER_BOUND = 0.30  # a shopper came in through an agent's link or code
AGENT_BOUND = 0.45  # an agent was recruited by another agent
TO_STAR, TO_POPULAR = 0.25, 0.40  # a referral goes to a star, or to whoever referred someone earlier
AGENT_DISABLED, AGENT_REMOVED = 0.02, 0.01

# Orders
DAYS = 365
ITEMS_PER_ORDER = ((1, 0.72), (2, 0.22), (3, 0.06))  # 1.34 on average
UNPAID_CLOSED, CANCELLED = 0.08, 0.03  # of orders older than the pay deadline
REFUNDED_BEFORE_SHIPPING = 0.02  # of paid orders: every item refunded, the order closed
AFTER_SALE_AFTER_COMPLETION = 0.02  # of completed orders: one item refunded (commission taken back)
FREIGHT_FEN, FREE_FREIGHT_FROM_FEN = 1000, 9900
