"""A fan's subscription status and the only ways it may change."""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l

from app.core.labels import labels


class FanStatus(StrEnum):
    SUBSCRIBED = "subscribed"
    UNSUBSCRIBED = "unsubscribed"


FAN_STATUS_LABELS = labels(FanStatus, {FanStatus.SUBSCRIBED: _l("Following"),
                                       FanStatus.UNSUBSCRIBED: _l("Unfollowed")})
SUBSCRIBED = FanStatus.SUBSCRIBED
UNSUBSCRIBED = FanStatus.UNSUBSCRIBED
FAN_STATUSES = tuple(FanStatus)

# None: the fan is new to us (they may have followed before we were connected).
FAN_TRANSITIONS: dict[str | None, frozenset[str]] = {
    None: frozenset({SUBSCRIBED, UNSUBSCRIBED}),
    SUBSCRIBED: frozenset({UNSUBSCRIBED}),
    UNSUBSCRIBED: frozenset({SUBSCRIBED}),
}


class InvalidFanTransition(Exception):
    def __init__(self, current: str | None, wanted: str) -> None:
        super().__init__(f"fan status {current!r} cannot become {wanted!r}")
        self.current, self.wanted = current, wanted


def can_transition(current: str | None, wanted: str) -> bool:
    return wanted in FAN_TRANSITIONS.get(current, frozenset())


def check_transition(current: str | None, wanted: str) -> None:
    if not can_transition(current, wanted):
        raise InvalidFanTransition(current, wanted)
