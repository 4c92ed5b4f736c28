"""What a member level gives beyond its price: the points multiplier (and, with member
growth, free shipping and a monthly coupon). This placeholder gives every shopper ×1; the
member-growth work replaces it with the multiplier of the shopper's level."""

from __future__ import annotations


def points_multiplier_bp(user_id: int) -> int:
    """The multiplier on points earned from purchases, in basis points (10000 = ×1)."""
    return 10_000
