"""Buying a flash sale item (秒杀): the Redis gate first, then the normal checkout.

Why two steps: when a session opens, thousands of taps arrive for a few hundred units. The
gate (app.marketing.flash_gate) answers all but those units "sold out" or "over your limit"
from one Lua step each; only a tap that took units goes on to place an order, whose
`placed` hook claims them again in the database by conditional updates (the truth: a wrong
gate can make a shopper wait, never oversell). A tap whose order is not placed gives its
units back to the gate at once; one whose worker died in between is given back by the
reconcile job after its grace period.

The gate's hold is named by the shopper and the checkout's idempotency key, which the order
keeps: paying settles the hold, closing unpaid releases the units in the database and gives
the hold back to the gate once the close is committed.

Flash orders take no SKU stock (the activity set its units aside when it was saved:
app.orders.activity.OWN_STOCK_KINDS) and bypass the generic `POST /orders` activity path:
they are bought through `buy`, which takes the gate first.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from app.core.after_commit import after_commit
from app.core.errors import Conflict, NotFound, ValidationError
from app.extensions import db
from app.marketing.activity_orders import ActivityHooks, register_kind
from app.marketing.flash_claims import claim, release
from app.marketing.flash_gate import Taken
from app.marketing.flash_gates import database_figures, gate_for, gate_limits
from app.marketing.flash_models import FlashItem, FlashSession
from app.marketing.flash_offers import Offer, offer_for, parse_ref
from app.marketing.flash_schedule import Occurrence, occurrence
from app.orders import checkout
from app.orders.activity import ActivityKind, ActivityTerms
from app.orders.models import Order

MAX_UNITS = 99


def gate_token(user_id: int, idempotency_key: str) -> str:
    """The hold's name: a checkout key is unique per shopper, not across shoppers."""
    return f"{user_id}:{idempotency_key}"


def occurrence_of(scope: str) -> Occurrence:
    """The session occurrence a limit scope ("session:<id>:<YYYY-MM-DD>") names."""
    _kind, session_id, day = scope.split(":", 2)
    session = db.session.get(FlashSession, int(session_id))
    if session is None:
        raise NotFound(_("This flash sale session does not exist."), code="flash_session_unknown")
    return occurrence(session, date.fromisoformat(day))


def terms(offer: Offer, quantity: int) -> ActivityTerms:
    activity, item = offer.activity, offer.item
    return ActivityTerms(kind=ActivityKind.FLASH_SALE, activity_id=activity.id, ref=offer.ref, sku_id=item.sku_id,
                         quantity=quantity, unit_price_fen=item.flash_price_fen,
                         label=_("Flash sale · %(name)s", name=activity.name), stacks=activity.stacks,
                         pays_commission=activity.pays_commission, pay_minutes=activity.pay_minutes)


def take_units(offer: Offer, user_id: int, quantity: int, token: str) -> bool:
    """Hold the units at the gate: True when this call took them, False when this token holds
    them already (a retried tap); 409 flash_sold_out / flash_over_limit, nothing held."""
    gate = gate_for(offer.item, offer.occurrence)
    limits = gate_limits(offer.item, offer.occurrence)
    answer = gate.take(user_id, quantity, token, limits)
    if answer == Taken.COLD:  # Redis lost the gate (or never had it): the database refills it
        gate.load(*database_figures(offer.item, offer.occurrence))
        answer = gate.take(user_id, quantity, token, limits)
    if answer == Taken.REPEATED:
        return False
    if answer == Taken.OVER_LIMIT:
        raise Conflict(_("You have bought as many as this sale allows."), code="flash_over_limit")
    if answer == Taken.SOLD_OUT:
        raise Conflict(_("Sold out."), code="flash_sold_out")
    if answer < 0:
        raise Conflict(_("Please try again."), code="retry")
    return True


def preview(user_id: int, item_id: int, quantity: int, request: checkout.CheckoutRequest):
    """What buying now would cost (no units held)."""
    offer = offer_for(item_id)
    return checkout.preview(user_id, _with_terms(request, offer, quantity))


def buy(user_id: int, item_id: int, quantity: int, request: checkout.CheckoutRequest, idempotency_key: str,
        expected_payable_fen: int | None = None) -> tuple[Order, bool]:
    """Hold the units at the gate, then place the order through the normal checkout (flushed;
    the caller commits). (order, True), or (the earlier order, False) for a repeated key. A
    refusal after the gate (the database's claim, the address, the price) gives the units back."""
    earlier = checkout.order_by_key(user_id, idempotency_key)
    if earlier is not None:
        return earlier, False
    if not 1 <= quantity <= MAX_UNITS:
        raise ValidationError(_("Some fields are invalid."),
                              fields={"quantity": _("Between 1 and %(n)s.", n=MAX_UNITS)})
    offer = offer_for(item_id)
    token = gate_token(user_id, idempotency_key)
    took = take_units(offer, user_id, quantity, token)
    try:
        return checkout.place_order(user_id, _with_terms(request, offer, quantity), idempotency_key,
                                    expected_payable_fen)
    except BaseException:
        db.session.rollback()
        if took:
            gate_for(offer.item, offer.occurrence).give_back(token)
        raise


def _with_terms(request: checkout.CheckoutRequest, offer: Offer, quantity: int) -> checkout.CheckoutRequest:
    return checkout.CheckoutRequest(lines=[(offer.item.sku_id, quantity)], address_id=request.address_id,
                                    remark=request.remark, coupon_id=request.coupon_id,
                                    best_coupon=request.best_coupon, points=request.points,
                                    activity=terms(offer, quantity))


# -- the order's hooks (in its transaction) --------------------------------------------------

def _item_and_scope(ref: str) -> tuple[FlashItem, str]:
    item_id, scope = parse_ref(ref)
    item = db.session.get(FlashItem, item_id)
    if item is None:
        raise NotFound(_("This flash sale item does not exist."), code="flash_item_unknown")
    return item, scope


def _units(order: Order) -> int:
    return sum(item.quantity for item in order.items)


def _placed(order: Order, ref: str) -> None:
    """The database's claim of the units and the shopper's limits (refusing fails the order)."""
    item, scope = _item_and_scope(ref)
    claim(item, order.user_id, _units(order), occurrence_of(scope))


def _paid(order: Order, ref: str) -> None:
    item, scope = _item_and_scope(ref)
    token, gate = gate_token(order.user_id, order.idempotency_key), gate_for(item, occurrence_of(scope))
    after_commit(lambda: gate.settle(token))


def _closed(order: Order, ref: str) -> None:
    """Unpaid and closed: the units back in the database now, at the gate once committed."""
    item, scope = _item_and_scope(ref)
    release(item, order.user_id, _units(order), scope)
    token, gate = gate_token(order.user_id, order.idempotency_key), gate_for(item, occurrence_of(scope))
    after_commit(lambda: gate.give_back(token))


def _terms(_user_id: int, _ref: str) -> ActivityTerms:
    raise ValidationError(_("Some fields are invalid."), code="flash_buy_here", fields={
        "activity.kind": _("Flash sale items are bought from the flash sale page.")})


register_kind(ActivityKind.FLASH_SALE, ActivityHooks(terms=_terms, placed=_placed, paid=_paid, closed=_closed))
