"""The flash sale's set-aside stock: units move from the SKU when an activity is saved (an
edit moves only the difference, never below what is sold) and the unsold rest goes back once
when it stops or ends. Every move is a conditional UPDATE, so a short SKU or a sale racing an
edit refuses instead of going negative; nothing here commits.

The units set aside are still for sale (at the flash price), so taking a SKU's last units
does not take its product off shelf the way a sold-out SKU does.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select, update

from app.catalog.models import Sku
from app.core.errors import ValidationError
from app.core.models import utcnow
from app.extensions import db
from app.marketing.flash_models import FlashActivity, FlashItem


def _expire(model, row_id: int, *names: str) -> None:
    row = db.session.identity_map.get(db.session.identity_key(model, row_id))
    if row is not None:
        db.session.expire(row, list(names))


def take_from_sku(sku_id: int, units: int, title: str, field: str) -> None:
    """Move `units` from the SKU's stock to the set-aside; refused naming the product."""
    taken = db.session.execute(update(Sku).where(Sku.id == sku_id, Sku.stock >= units)
                               .values(stock=Sku.stock - units)
                               .execution_options(synchronize_session=False)).rowcount == 1
    _expire(Sku, sku_id, "stock")
    if not taken:
        left = db.session.scalar(select(Sku.stock).where(Sku.id == sku_id)) or 0
        raise ValidationError(_("Some fields are invalid."), code="flash_stock_short", fields={
            field: _("%(product)s has only %(left)s in stock.", product=title, left=left)})


def return_to_sku(sku_id: int, units: int) -> None:
    if units > 0:
        db.session.execute(update(Sku).where(Sku.id == sku_id).values(stock=Sku.stock + units)
                           .execution_options(synchronize_session=False))
        _expire(Sku, sku_id, "stock")


def move_set_aside(item: FlashItem, new_stock: int, title: str, field: str) -> int:
    """Set the item's set-aside to `new_stock`, moving only the difference from or to the
    SKU: the units moved (+ taken, - returned). Lowering below what is sold is refused."""
    db.session.flush()
    current = db.session.scalar(select(FlashItem.stock).where(FlashItem.id == item.id))
    difference = new_stock - current
    if difference > 0:
        take_from_sku(item.sku_id, difference, title, field)
    if difference:
        moved = db.session.execute(update(FlashItem).where(FlashItem.id == item.id,
                                                           FlashItem.sold <= FlashItem.stock + difference)
                                   .values(stock=FlashItem.stock + difference)
                                   .execution_options(synchronize_session=False)).rowcount == 1
        _expire(FlashItem, item.id, "stock", "sold")
        if not moved:
            raise ValidationError(_("Some fields are invalid."), code="flash_stock_below_sold", fields={
                field: _("%(product)s has sold %(sold)s: set aside at least that many.", product=title,
                         sold=item.sold)})
    if difference < 0:
        return_to_sku(item.sku_id, -difference)
    return difference


def return_unsold(activity: FlashActivity, now: datetime | None = None) -> int | None:
    """Give the unsold set-aside of every item back to its SKU, once: the units returned, or
    None when they had already gone back (a replayed stop or end job). Each item keeps what
    is sold as its set-aside, so the gate and a late claim see nothing left."""
    marked = db.session.execute(update(FlashActivity).where(FlashActivity.id == activity.id,
                                                            FlashActivity.stock_returned_at.is_(None))
                                .values(stock_returned_at=now or utcnow())
                                .execution_options(synchronize_session=False)).rowcount == 1
    _expire(FlashActivity, activity.id, "stock_returned_at")
    if not marked:
        return None
    returned = 0
    items = db.session.scalars(select(FlashItem).where(FlashItem.activity_id == activity.id)
                               .order_by(FlashItem.id).with_for_update()
                               .execution_options(populate_existing=True)).all()
    for item in items:
        unsold = item.stock - item.sold
        if unsold > 0:
            return_to_sku(item.sku_id, unsold)
            item.stock = item.sold
            returned += unsold
    db.session.flush()
    return returned
