"""Helpers for the member growth tests: levels on a growth ladder, orders completed and
refunded as the order flows announce them (the events' in-transaction listeners run)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from app.audit.services import SYSTEM
from app.extensions import db
from app.marketing import events as marketing_events
from app.members import growth_settings
from app.members.growth_models import LevelChange
from app.members.models import GrowthEntry, MemberLevel
from app.members.services import LevelFields, save_level, wallet_of
from app.orders import events
from app.orders.models import OrderItem
from tests import factories


def ladder(**thresholds: int) -> dict[str, MemberLevel]:
    """Levels reached by growth: ladder(银卡=100, 金卡=1000)."""
    levels = {name: save_level(SYSTEM, None, LevelFields(name, threshold)) for name, threshold in thresholds.items()}
    db.session.commit()
    return levels


def rules(per_yuan: int = 1, per_sign_in: int = 1, yearly_downgrade: bool = False) -> None:
    growth_settings.save(SYSTEM, per_yuan=per_yuan, per_sign_in=per_sign_in, yearly_downgrade=yearly_downgrade)
    db.session.commit()


def completed_order(buyer, *prices_fen: int):
    """An order of one unit of each price, completed (order.completed announced)."""
    lines = [(factories.product(factories.category(), price_fen=price, stock=5).skus[0], 1) for price in prices_fen]
    order = factories.order(buyer, lines, status="completed", pay_method="wechat")
    events.order_completed(order.id)
    db.session.commit()
    return order


def refund(item: OrderItem, amount_fen: int, after_sale_id: int, quantity: int = 1) -> None:
    """Money went back for the item, as after-sales finish a refund (order.item_refunded)."""
    db.session.execute(update(OrderItem).where(OrderItem.id == item.id)
                       .values(claimed_fen=OrderItem.claimed_fen + amount_fen,
                               claimed_quantity=OrderItem.claimed_quantity + quantity,
                               refunded_fen=OrderItem.refunded_fen + amount_fen,
                               refunded_quantity=OrderItem.refunded_quantity + quantity))
    events.item_refunded(item.id, amount_fen, quantity, after_sale_id)
    db.session.commit()


def signed_in(user, sign_in_id: int) -> None:
    marketing_events.signed_in(user.id, sign_in_id)
    db.session.commit()


def growth_of(user) -> int:
    db.session.commit()  # a new transaction: see what other sessions committed (MariaDB snapshots)
    return wallet_of(user.id).growth


def level_of(user) -> str | None:
    db.session.commit()
    level = wallet_of(user.id).level
    return level.name if level else None


def entries(user) -> list[tuple[str, int, int]]:
    db.session.commit()
    return [(entry.kind, entry.delta, entry.growth_after) for entry in db.session.scalars(
        select(GrowthEntry).where(GrowthEntry.user_id == user.id).order_by(GrowthEntry.id))]


def changes(user) -> list[tuple[str, str, str]]:
    db.session.commit()
    return [(change.from_name, change.to_name, change.cause) for change in db.session.scalars(
        select(LevelChange).where(LevelChange.user_id == user.id).order_by(LevelChange.id))]


def dated(user, when: datetime) -> None:
    """Move all of the user's growth entries so far to `when` (naive UTC)."""
    db.session.execute(update(GrowthEntry).where(GrowthEntry.user_id == user.id).values(created_at=when))
    db.session.commit()
