"""Bargain activities as the merchant runs them: create, edit, stop early — each audited —
the status they read as, and the figures of one activity.

These flush and never commit; the console view commits. Values come as the form reads them
(Beijing times already naive UTC, yuan already fen).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import Select, func, select, update

from app.audit import services as audit
from app.audit.services import Actor
from app.cart.services import spec_text
from app.catalog.models import Product, Sku
from app.core.china_time import format_beijing
from app.core.errors import ValidationError
from app.core.models import utcnow
from app.extensions import db
from app.marketing import activity_windows as windows
from app.marketing.activity_windows import whole_number
from app.marketing.bargain_models import Bargain, BargainActivity, BargainActivityStatus, BargainStatus
from app.orders.activity import ActivityKind
from app.orders.models import Order

AREA = "marketing"
MAX_PRICE_FEN = 100_000_000
LIMITS = {"helpers_needed": (1, 100), "time_limit_hours": (1, 720), "launches_per_shopper": (1, 100),
          "helps_per_day": (1, 100), "buy_window_hours": (1, 720)}
EDITABLE = ("name", "sku_id", "start_price_fen", "floor_price_fen", "helpers_needed", "cut_min_fen", "cut_max_fen",
            "time_limit_hours", "launches_per_shopper", "helps_per_day", "buy_at_current", "buy_window_hours",
            "pays_commission", "stacks", "starts_at", "ends_at")
# What cannot change once a bargain was launched (every bargain copies the prices it started with;
# the item is what they are buying)
FROZEN_ONCE_LAUNCHED = ("sku_id", "start_price_fen", "floor_price_fen", "helpers_needed")


def status_of(activity: BargainActivity, now: datetime | None = None) -> BargainActivityStatus:
    return windows.status_of(activity, BargainActivityStatus, now)


def activity_list(*, status: str = "") -> Select:
    return windows.activity_list(BargainActivity, BargainActivityStatus, status)


def validate(values: dict[str, Any]) -> dict[str, Any]:
    """The values checked; ValidationError naming each bad field."""
    fields: dict[str, str] = {}
    clean: dict[str, Any] = {}
    windows.check_name_and_sku(values, fields, clean, _("Choose the item to bargain for."))
    start, floor = whole_number(values, "start_price_fen"), whole_number(values, "floor_price_fen")
    if not 1 <= start <= MAX_PRICE_FEN:
        fields["start_price_fen"] = _("Enter a price in yuan, e.g. 99.")
    if not 0 <= floor < max(start, 1):
        fields["floor_price_fen"] = _("The floor price must be below the start price.")
    for key, (low, high) in LIMITS.items():
        clean[key] = whole_number(values, key)
        if not low <= clean[key] <= high:
            fields[key] = _("Enter a whole number from %(low)s to %(high)s.", low=low, high=high)
    helpers = clean["helpers_needed"]
    if "start_price_fen" not in fields and "floor_price_fen" not in fields and "helpers_needed" not in fields \
            and start - floor < helpers:
        fields["helpers_needed"] = _("Each helper must cut at least ¥0.01: lower the count or widen the prices.")
    cut_min, cut_max = max(whole_number(values, "cut_min_fen"), 0), max(whole_number(values, "cut_max_fen"), 0)
    if cut_max and cut_min > cut_max:
        fields["cut_max_fen"] = _("The largest cut must not be below the smallest.")
    elif cut_max and "helpers_needed" not in fields and start > floor and cut_min * (helpers - 1) >= start - floor:
        fields["cut_min_fen"] = _("The smallest cut is too large to leave something for the last helper.")
    if cut_min and not cut_max:
        fields["cut_max_fen"] = _("Enter the largest cut too.")
    starts_at, ends_at = values.get("starts_at"), values.get("ends_at")
    if not isinstance(starts_at, datetime):
        fields["starts_at"] = _("Enter the start time.")
    if not isinstance(ends_at, datetime):
        fields["ends_at"] = _("Enter the end time.")
    elif isinstance(starts_at, datetime) and ends_at <= starts_at:
        fields["ends_at"] = _("The end must be after the start.")
    if fields:
        raise ValidationError(_("Some fields are invalid."), fields=fields)
    clean.update(start_price_fen=start, floor_price_fen=floor, cut_min_fen=cut_min, cut_max_fen=cut_max,
                 starts_at=starts_at, ends_at=ends_at,
                 **{key: bool(values.get(key)) for key in ("buy_at_current", "pays_commission", "stacks")})
    return clean


def snapshot(activity: BargainActivity) -> dict[str, Any]:
    """What the audit log keeps of an activity (times in Beijing time)."""
    return {**{key: getattr(activity, key) for key in EDITABLE if key not in ("starts_at", "ends_at")},
            "starts_at": format_beijing(activity.starts_at), "ends_at": format_beijing(activity.ends_at)}


def launched(activity_id: int) -> bool:
    """Whether any bargain was launched (one index entry read, not a count of them all)."""
    return db.session.scalar(select(Bargain.id).where(Bargain.activity_id == activity_id).limit(1)) is not None


def create_activity(actor: Actor, values: dict[str, Any]) -> BargainActivity:
    return windows.create_audited(actor, BargainActivity(**validate(values)), "bargain.create", "bargain_activity",
                                  snapshot)


def update_activity(actor: Actor, activity: BargainActivity, values: dict[str, Any]) -> BargainActivity:
    windows.refuse_if_stopped(activity)
    clean = validate(values)
    return windows.update_audited(actor, activity, clean, "bargain.update", "bargain_activity", snapshot,
                                  frozen=FROZEN_ONCE_LAUNCHED if launched(activity.id) else (),
                                  frozen_message=_("Bargains were launched at these terms: they can no longer change."))


def stop_activity(actor: Actor, activity: BargainActivity) -> int:
    """Stop early: no new launches or helps; the bargains still going end now (those that reached
    their floor can still be bought in their window). Returns how many bargains ended."""
    if activity.stopped_at is not None:
        return 0
    now = utcnow()
    activity.stopped_at = now
    ended = db.session.execute(
        update(Bargain).where(Bargain.activity_id == activity.id, Bargain.status == BargainStatus.BARGAINING)
        .values(status=BargainStatus.EXPIRED, updated_at=now)).rowcount
    db.session.flush()
    audit.record(actor, area=AREA, action="bargain.stop", target_type="bargain_activity", target_id=activity.id,
                 summary=activity.name, before={"stopped_at": None}, after={"stopped_at": format_beijing(now),
                                                                             "bargains_ended": ended})
    return ended


def results(activity_id: int) -> dict[str, int]:
    """Launched, floor reached (bought included), orders placed, orders paid and their paid amount."""
    by_status = dict(db.session.execute(
        select(Bargain.status, func.count()).where(Bargain.activity_id == activity_id).group_by(Bargain.status)).all())
    orders = db.session.execute(
        select(func.count(), func.count(Order.paid_at), func.coalesce(func.sum(Order.paid_fen), 0))
        .where(Order.activity_kind == ActivityKind.BARGAIN.value, Order.activity_id == activity_id)).one()
    return {"launched": sum(by_status.values()),
            "completed": by_status.get(BargainStatus.SUCCEEDED, 0) + by_status.get(BargainStatus.BOUGHT, 0),
            "bought": by_status.get(BargainStatus.BOUGHT, 0), "orders": orders[0], "paid_orders": orders[1],
            "paid_fen": int(orders[2])}


def spec_title(product: Product, sku: Sku) -> str:
    return f"{product.title} {spec_text(sku.specs)}".strip()


def sku_title(sku_id: int) -> str:
    """The product and spec of a SKU, as the console shows it ('' for one that is gone)."""
    sku = db.session.get(Sku, sku_id)
    product = db.session.get(Product, sku.product_id) if sku is not None else None
    return spec_title(product, sku) if product is not None else ""


def item_title(activity: BargainActivity) -> str:
    """The item the activity sells, as the console shows it."""
    return sku_title(activity.sku_id) or f"#{activity.sku_id}"


def launches_of(activity_id: int, user_id: int) -> int:
    return db.session.scalar(select(func.count()).select_from(Bargain).where(
        Bargain.activity_id == activity_id, Bargain.user_id == user_id))
