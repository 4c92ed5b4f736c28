"""A tracking provider for demos and tests: a plausible Chinese trace computed from the
tracking number and the time the parcel left, with no network and no randomness.

The same parcel always gets the same route; events appear as their time passes
(揽收 → 运输中 → 派送中 → 签收 about two days after shipping).
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from app.core.models import utcnow
from app.logistics.couriers import courier_named
from app.logistics.tracking import Tracking, TrackingEvent, TrackingState

ORIGINS = ("杭州市", "广州市", "义乌市", "上海市", "东莞市", "苏州市", "成都市", "武汉市")
COURIER_NAMES = ("王师傅", "李师傅", "张师傅", "刘师傅", "陈师傅", "杨师傅")

# (hours after shipping, state, text); {origin}, {city}, {district}, {courier}, {man}, {phone} filled in.
STEPS: tuple[tuple[float, TrackingState, str], ...] = (
    (0.5, TrackingState.COLLECTED, "【{origin}】{courier} 快递员已揽收"),
    (3, TrackingState.IN_TRANSIT, "快件已到达【{origin}转运中心】"),
    (5, TrackingState.IN_TRANSIT, "快件已从【{origin}转运中心】发出，下一站【{city}转运中心】"),
    (26, TrackingState.IN_TRANSIT, "快件已到达【{city}转运中心】"),
    (30, TrackingState.IN_TRANSIT, "快件已从【{city}转运中心】发出，下一站【{district}营业部】"),
    (36, TrackingState.DELIVERING, "【{district}营业部】快递员 {man}（电话 {phone}）正在为您派件"),
    (40, TrackingState.SIGNED, "您的快件已签收，签收人：本人。感谢使用{courier}，期待再次为您服务"),
)


class SandboxProvider:
    name = "sandbox"

    def track(self, courier_code: str, tracking_no: str, *, shipped_at: datetime, destination: str = "",
              now: datetime | None = None) -> Tracking:
        now = now or utcnow()
        seed = hashlib.sha256(f"{courier_code}:{tracking_no}".encode()).digest()
        places = _places(seed, destination)
        courier = courier_named(courier_code)
        places["courier"] = courier.name if courier else courier_code
        events, state = [], TrackingState.NO_INFO
        for index, (hours, step_state, text) in enumerate(STEPS):
            moment = shipped_at + timedelta(hours=hours, minutes=seed[index] % 50)
            if moment > now:
                break
            events.append(TrackingEvent(moment.replace(microsecond=0), text.format(**places)))
            state = step_state
        return Tracking(state, list(reversed(events)))


def _places(seed: bytes, destination: str) -> dict[str, str]:
    parts = destination.split()
    city = parts[1] if len(parts) > 1 else (parts[0] if parts else "收件城市")
    district = parts[2] if len(parts) > 2 else city
    origin = ORIGINS[seed[10] % len(ORIGINS)]
    if origin == city:
        origin = ORIGINS[(seed[10] + 1) % len(ORIGINS)]
    phone = f"1{3 + seed[11] % 7}{seed[12] % 10}{int.from_bytes(seed[13:17], 'big') % 10**8:08d}"
    return {"origin": origin, "city": city, "district": district,
            "man": COURIER_NAMES[seed[17] % len(COURIER_NAMES)], "phone": phone}
