"""What the distribution domain announces, for other domains to listen or subscribe to.

    distribution.commission_accrued     (order_id)  the order's commission lines were written (some pay)
    distribution.agent_status_changed   (user_id)   an agent was disabled, enabled, removed or appointed again
    distribution.recruit_bound          (user_id, referrer_user_id)
                                                    a shopper was bound to an agent for the first time

Published inside the transaction that made the change, like every event (app.core.events).
"""

from __future__ import annotations

from app.core.events import publish

COMMISSION_ACCRUED = "distribution.commission_accrued"
AGENT_STATUS_CHANGED = "distribution.agent_status_changed"
RECRUIT_BOUND = "distribution.recruit_bound"


def commission_accrued(order_id: int) -> None:
    publish(COMMISSION_ACCRUED, order_id)


def agent_status_changed(user_id: int) -> None:
    publish(AGENT_STATUS_CHANGED, user_id)


def recruit_bound(user_id: int, referrer_user_id: int) -> None:
    publish(RECRUIT_BOUND, user_id, referrer_user_id)
