"""Demo bargain: a week-long activity on an in-stock item, and a bargain in progress — launched
by a demo shopper, three friends have helped (seeded cuts), seven more needed."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app.accounts.models import User
from app.audit.services import SYSTEM
from app.catalog.models import Product, Sku
from app.core.models import utcnow
from app.extensions import db
from app.marketing import bargain_activities, bargains
from app.marketing.bargain_models import BargainActivity

NAME = "好友帮砍，0.99元带回家"
HELPERS = ("砍价好友阿杰", "砍价好友小雨", "砍价好友老周")


def _item() -> Sku | None:
    """An in-stock SKU of an on-shelf product priced over ¥20, the first by id."""
    return db.session.scalar(select(Sku).join(Product, Product.id == Sku.product_id).where(
        Product.is_on_shelf.is_(True), Product.deleted_at.is_(None), Sku.stock > 0, Sku.price_fen >= 2_000)
        .order_by(Sku.id).limit(1))


def _user(nickname: str) -> User:
    user = db.session.scalar(select(User).where(User.nickname == nickname))
    if user is None:
        user = User(nickname=nickname, is_test=True)
        db.session.add(user)
        db.session.flush()
    return user


def seed_bargains() -> list[str]:
    """Create the demo activity and its bargain in progress when missing (safe to run again)."""
    if db.session.scalar(select(BargainActivity.id).where(BargainActivity.name == NAME)):
        return ["bargains: already there"]
    item = _item()
    if item is None:
        return ["bargains: no item in stock to bargain for"]
    start = utcnow() - timedelta(hours=2)
    activity = bargain_activities.create_activity(SYSTEM, {
        "name": NAME, "sku_id": item.id, "start_price_fen": item.price_fen, "floor_price_fen": 99,
        "helpers_needed": 10, "cut_min_fen": 0, "cut_max_fen": 0, "time_limit_hours": 48,
        "launches_per_shopper": 1, "helps_per_day": 3, "buy_window_hours": 24, "buy_at_current": False,
        "pays_commission": False, "stacks": False, "starts_at": start, "ends_at": start + timedelta(days=7)})
    launcher = _user("砍价发起人小林")
    bargain = bargains.launch(launcher.id, activity.id)
    bargain.cut_seed = 20261208
    db.session.flush()
    for nickname in HELPERS:
        bargains.help_bargain(bargain.id, _user(nickname).id)
    return [f"bargains: 1 activity, 1 bargain in progress ({len(HELPERS)} of 10 helpers)"]
