"""What the promotions announce, for other parts (member growth, reports) to react to.

    marketing.signed_in        (user_id, sign_in_id)   a shopper signed in for a Beijing day
    marketing.group_refund_due (member_id)             a group-buy order is to be refunded whole
                                                       (it found no seat left)
"""

from __future__ import annotations

from app.core.events import publish

SIGNED_IN = "marketing.signed_in"
GROUP_REFUND_DUE = "marketing.group_refund_due"


def signed_in(user_id: int, sign_in_id: int) -> None:
    publish(SIGNED_IN, user_id, sign_in_id)


def group_refund_due(member_id: int) -> None:
    publish(GROUP_REFUND_DUE, member_id)
