"""A subscribe message's status and the only transitions allowed.

pending  — recorded, waiting for (or between attempts of) the notify job
sent     — WeChat accepted it
refused  — 43101: the user has not subscribed (or used up their quota); final, not an error
failed   — WeChat rejected it for good (bad template, data, openid) or retries ran out
"""

from __future__ import annotations

from flask_babel import gettext as _

from app.core.errors import Conflict

PENDING, SENT, REFUSED, FAILED = "pending", "sent", "refused", "failed"
STATUSES = (PENDING, SENT, REFUSED, FAILED)

TRANSITIONS: dict[str, frozenset[str]] = {
    PENDING: frozenset({SENT, REFUSED, FAILED}),
    SENT: frozenset(),
    REFUSED: frozenset(),
    FAILED: frozenset(),
}


def can_move(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())


def move(message, target: str) -> None:
    """Set `message.status` to `target`, or refuse a transition the table does not allow."""
    if not can_move(message.status, target):
        raise Conflict(_("This change is not allowed in the current state."), code="invalid_transition",
                       fields={"status": f"{message.status} → {target}"})
    message.status = target
