"""Reasons an order may not ship yet, given by domains above orders (a group-buy member's order
waits until its group succeeds). Fulfilment asks before shipping; the promotions register
their check at import, so orders never imports them."""

from __future__ import annotations

from collections.abc import Callable

from app.orders.models import Order

Hold = Callable[[Order], "str | None"]  # the refusal shown to the merchant, or None: may ship

_holds: list[Hold] = []


def register(hold: Hold) -> Hold:
    if hold not in _holds:
        _holds.append(hold)
    return hold


def refusal(order: Order) -> str | None:
    """The first reason the order must wait, or None when it may ship."""
    for hold in _holds:
        reason = hold(order)
        if reason:
            return reason
    return None
