"""Demo flash sales: the 10:00, 14:00 and 20:00 sessions of every day, and a week-long 限时秒杀
from today in all three, selling two SKUs at about 60% of their price (so the storefront has a
live or coming session whatever the hour)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.audit.services import SYSTEM
from app.catalog.models import Product, Sku
from app.extensions import db
from app.marketing import flash_activities, flash_sessions
from app.marketing.flash_models import FlashActivity, FlashSession
from app.marketing.flash_schedule import beijing_today

SESSIONS = (("10:00场", 600), ("14:00场", 840), ("20:00场", 1200))
DEMO_SALE = "限时秒杀"
SET_ASIDE = 20


def _skus(count: int = 2) -> list[Sku]:
    """The first SKUs of on-shelf products with stock to spare, one per product."""
    rows = db.session.scalars(select(Sku).join(Product, Product.id == Sku.product_id)
                              .where(Product.is_on_shelf.is_(True), Sku.stock >= SET_ASIDE * 2, Sku.price_fen >= 500)
                              .order_by(Sku.product_id, Sku.id).limit(50)).all()
    chosen, products = [], set()
    for sku in rows:
        if sku.product_id not in products:
            chosen.append(sku)
            products.add(sku.product_id)
        if len(chosen) == count:
            break
    return chosen


def seed_flash_sales() -> list[str]:
    """Create the demo sessions and sale missing by name (safe to run again)."""
    have = set(db.session.scalars(select(FlashSession.name)))
    made = 0
    for name, start in SESSIONS:
        if name not in have:
            flash_sessions.create_session(SYSTEM, {"name": name, "start_minute": start, "duration_minutes": 120})
            made += 1
    db.session.flush()
    sales = 0
    skus = _skus()
    if skus and not db.session.scalar(select(FlashActivity.id).where(FlashActivity.name == DEMO_SALE)):
        today = beijing_today()
        session_ids = list(db.session.scalars(select(FlashSession.id).where(
            FlashSession.name.in_([name for name, _start in SESSIONS]))))
        flash_activities.create_activity(SYSTEM, {
            "name": DEMO_SALE, "first_day": today, "last_day": today + timedelta(days=6), "session_ids": session_ids,
            "limit_per_session": 1, "limit_per_activity": 2,
            "items": [{"sku_id": sku.id, "flash_price_fen": max(100, sku.price_fen * 6 // 1000 * 100),
                       "stock": SET_ASIDE} for sku in skus]})
        sales = 1
    db.session.flush()
    return [f"flash sale sessions: {made} created", f"flash sales: {sales} created"]
