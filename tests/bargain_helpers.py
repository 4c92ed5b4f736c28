"""Helpers for the bargain tests: a live activity on a SKU, a launched bargain, helpers."""

from __future__ import annotations

from datetime import timedelta

from app.core.models import utcnow
from app.extensions import db
from app.marketing import bargains
from app.marketing.bargain_models import Bargain, BargainActivity
from tests import factories


def sku(price_fen: int = 12_000, stock: int = 10):
    return factories.product(factories.category(), price_fen=price_fen, stock=stock).skus[0]


def activity(item=None, *, start: int = 10_000, floor: int = 1_000, helpers: int = 10, **fields) -> BargainActivity:
    """A bargain activity running now (unless `starts_at`/`ends_at`/`stopped_at` say otherwise)."""
    item = item or sku()
    now = utcnow()
    values = {"name": "砍价测试", "product_id": item.product_id, "sku_id": item.id, "start_price_fen": start,
              "floor_price_fen": floor, "helpers_needed": helpers, "cut_min_fen": 0, "cut_max_fen": 0,
              "time_limit_hours": 24, "launches_per_shopper": 1, "helps_per_day": 3, "buy_at_current": False,
              "buy_window_hours": 24, "pays_commission": False, "stacks": False,
              "starts_at": now - timedelta(hours=1), "ends_at": now + timedelta(days=7), **fields}
    row = BargainActivity(**values)
    db.session.add(row)
    db.session.commit()
    return row


def launched(user, row: BargainActivity, *, seed: int | None = None) -> Bargain:
    bargain = bargains.launch(user.id, row.id)
    if seed is not None:
        bargain.cut_seed = seed
    db.session.commit()
    return bargain


def friends(count: int, prefix: str = "好友") -> list:
    return [factories.shopper(f"{prefix}{index}") for index in range(count)]


def help_by(bargain: Bargain, user):
    row = bargains.help_bargain(bargain.id, user.id)
    db.session.commit()
    return row


def fresh(bargain: Bargain) -> Bargain:
    db.session.expire_all()
    return db.session.get(Bargain, bargain.id)


def fresh_by_id(bargain_id: int) -> Bargain:
    db.session.expire_all()
    return db.session.get(Bargain, bargain_id)
