"""Where a parcel is: one interface over tracking providers, answers cached briefly in Redis.

A provider is any object with `track(courier_code, tracking_no, *, shipped_at, destination)`
returning a `Tracking`; LOGISTICS_PROVIDER picks one from PROVIDERS by name. Real providers
(快递100, 快递鸟, …) are adapters added to that table; the sandbox needs no network.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.core.labels import labels
from app.extensions import redis_client

log = logging.getLogger(__name__)

CACHE_SECONDS = 600


class TrackingState(StrEnum):
    NO_INFO = "no_info"  # the courier has nothing yet (or could not be asked)
    COLLECTED = "collected"  # 揽收
    IN_TRANSIT = "in_transit"  # 运输中
    DELIVERING = "delivering"  # 派送中
    SIGNED = "signed"  # 签收


TRACKING_STATE_LABELS = labels(TrackingState, {
    TrackingState.NO_INFO: _l("No tracking information yet"),
    TrackingState.COLLECTED: _l("Collected by the courier"),
    TrackingState.IN_TRANSIT: _l("In transit"),
    TrackingState.DELIVERING: _l("Out for delivery"),
    TrackingState.SIGNED: _l("Delivered"),
})


@dataclass(frozen=True)
class TrackingEvent:
    time: datetime  # naive UTC, like every stored time
    text: str


@dataclass(frozen=True)
class Tracking:
    state: str
    events: list[TrackingEvent] = field(default_factory=list)  # newest first, as couriers list them

    def to_json(self) -> str:
        return json.dumps({"state": self.state, "events": [[e.time.isoformat(), e.text] for e in self.events]},
                          ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str | bytes) -> Tracking:
        data = json.loads(text)
        events = [TrackingEvent(datetime.fromisoformat(time), text) for time, text in data["events"]]
        return cls(data["state"], events)


class TrackingUnavailable(Exception):
    """The provider could not answer now (network, quota); the caller shows 'no information'."""


class Provider(Protocol):
    name: str

    def track(self, courier_code: str, tracking_no: str, *, shipped_at: datetime,
              destination: str = "") -> Tracking: ...


def _providers() -> dict[str, Provider]:
    from app.logistics.sandbox import SandboxProvider

    return {"sandbox": SandboxProvider()}


def provider() -> Provider:
    name = current_app.config.get("LOGISTICS_PROVIDER", "sandbox")
    found = _providers().get(name)
    if found is None:
        raise RuntimeError(f"LOGISTICS_PROVIDER={name!r} is not a known tracking provider")
    return found


def track(courier_code: str, tracking_no: str, *, shipped_at: datetime, destination: str = "") -> Tracking:
    """The parcel's trace, from the cache when asked within the last few minutes."""
    chosen = provider()
    key = f"logistics:trace:{chosen.name}:{courier_code}:{tracking_no}"
    cached = redis_client.get(key)
    if cached is not None:
        return Tracking.from_json(cached)
    try:
        tracking = chosen.track(courier_code, tracking_no, shipped_at=shipped_at, destination=destination)
    except TrackingUnavailable:
        log.warning("tracking %s %s unavailable from %s", courier_code, tracking_no, chosen.name)
        return Tracking(TrackingState.NO_INFO)
    redis_client.set(key, tracking.to_json(), ex=CACHE_SECONDS)
    return tracking
