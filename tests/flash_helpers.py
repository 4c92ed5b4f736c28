"""Flash sale rows for tests, made through the services (stock really set aside)."""

from __future__ import annotations

from datetime import date

from app.audit.services import SYSTEM
from app.extensions import db
from app.marketing import flash_activities, flash_sessions
from app.marketing.flash_schedule import beijing_today


def session(name: str = "10:00场", start: str = "10:00", minutes: int = 120, *, enabled: bool = True):
    hours, mins = (int(part) for part in start.split(":"))
    row = flash_sessions.create_session(SYSTEM, {"name": name, "start_minute": hours * 60 + mins,
                                                 "duration_minutes": minutes, "is_enabled": enabled})
    db.session.commit()
    return row


def sale(items, sessions, *, name: str = "限时秒杀", first_day: date | None = None, last_day: date | None = None,
         limit_per_session: int = 1, limit_per_activity: int = 0, **settings):
    """`items`: (sku, flash price fen, stock set aside) triples."""
    first_day = first_day or beijing_today()
    row = flash_activities.create_activity(SYSTEM, {
        "name": name, "first_day": first_day, "last_day": last_day or first_day,
        "session_ids": [s.id for s in sessions], "limit_per_session": limit_per_session,
        "limit_per_activity": limit_per_activity,
        "items": [{"sku_id": sku.id, "flash_price_fen": price, "stock": stock} for sku, price, stock in items],
        **settings})
    db.session.commit()
    return row
