"""Group buy (拼团) as an activity kind of the activity-order foundation: a shopper starts a
group (ref "12") or joins one (ref "12:345") through the normal checkout (`POST /orders` with
`activity: {kind: "group_buy", ref}`), at the group price, and the seat is taken when the
order is paid. An unpaid order holds no seat, so nothing is given back when it closes."""

from __future__ import annotations

from dataclasses import asdict

from app.marketing.activity_orders import ActivityHooks, register_kind
from app.marketing.group_seats import seat_paid
from app.marketing.group_terms import group_terms
from app.orders.activity import ActivityKind, ActivityTerms


def terms(user_id: int, ref: str) -> ActivityTerms:
    values = asdict(group_terms(user_id, ref))
    return ActivityTerms(**{**values, "kind": ActivityKind(values["kind"])})


def _seat_paid(order, ref: str) -> None:
    seat_paid(order, ref)


register_kind(ActivityKind.GROUP_BUY, ActivityHooks(terms=terms, paid=_seat_paid))
