"""What the promotions announce, for other parts (member growth, reports) to react to.

    marketing.signed_in   (user_id, sign_in_id)   a shopper signed in for a Beijing day
"""

from __future__ import annotations

from app.core.events import publish

SIGNED_IN = "marketing.signed_in"


def signed_in(user_id: int, sign_in_id: int) -> None:
    publish(SIGNED_IN, user_id, sign_in_id)
