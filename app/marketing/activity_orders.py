"""The promotions' side of activity orders (秒杀, 拼团, 砍价): each activity kind registers how
to turn a shopper's reference into `ActivityTerms` and what to do when its order is placed,
paid or closed; checkout, pricing (step 5, app.marketing.activity_pricing) and commission do
the rest the same way for every kind.

    register_kind(ActivityKind.BARGAIN, ActivityHooks(terms=bargain_terms, placed=claim, ...))
    terms = terms_for(user_id, "bargain", "42")            # 4xx when not buyable now
    checkout.place_order(user_id, CheckoutRequest(lines=[(terms.sku_id, terms.quantity)],
                                                  activity=terms), key)

The hooks run in the order's transaction (order-event listeners): `placed` claims what the
order sells (a conditional UPDATE; refusing fails the whole order), `closed` gives it back
when the order closes unpaid, `paid` marks it sold. Each takes (order, activity_ref).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask_babel import gettext as _

from app.core.errors import ValidationError
from app.core.events import listen
from app.extensions import db
from app.orders.activity import ActivityKind, ActivityTerms
from app.orders.events import ORDER_CLOSED, ORDER_PAID, ORDER_PLACED
from app.orders.models import Order

OrderHook = Callable[[Order, str], None]


@dataclass(frozen=True)
class ActivityHooks:
    terms: Callable[[int, str], ActivityTerms]  # (shopper, ref) -> terms, or a DomainError saying why not
    placed: OrderHook | None = None
    paid: OrderHook | None = None
    closed: OrderHook | None = None


_kinds: dict[str, ActivityHooks] = {}


def register_kind(kind: ActivityKind, hooks: ActivityHooks) -> None:
    _kinds[kind.value] = hooks


def terms_for(user_id: int, kind: str, ref: str) -> ActivityTerms:
    """What the activity sells this shopper now (422 for a kind nobody runs)."""
    hooks = _kinds.get(kind)
    if hooks is None:
        raise ValidationError(_("Some fields are invalid."), code="activity_unknown",
                              fields={"activity.kind": _("This kind of activity is not available.")})
    return hooks.terms(user_id, ref)


def _run(hook_name: str, order_id: int) -> None:
    order = db.session.get(Order, order_id)
    if order is None or not order.activity_kind:
        return
    hooks = _kinds.get(order.activity_kind)
    hook = getattr(hooks, hook_name, None) if hooks is not None else None
    if hook is not None:
        hook(order, order.activity_ref or "")


@listen(ORDER_PLACED)
def _order_placed(order_id: int) -> None:
    _run("placed", order_id)


@listen(ORDER_PAID)
def _order_paid(order_id: int) -> None:
    _run("paid", order_id)


@listen(ORDER_CLOSED)
def _order_closed(order_id: int) -> None:
    _run("closed", order_id)
