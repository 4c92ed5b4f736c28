"""Flash sale activities as use cases: create and edit (the SKUs' stock set aside in the same
transaction, app.marketing.flash_stock), stop early, end the due ones — each audited — and
what the console lists. These flush and never commit; the caller commits (or rolls back a
refusal, though a refused save has already undone its own writes).

Values come as the form reads them: days as Beijing dates, prices in fen, items as
[{sku_id, flash_price_fen, stock}].
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.audit import services as audit
from app.audit.services import SYSTEM, Actor
from app.catalog.models import Product, Sku
from app.core.errors import Conflict, ValidationError
from app.core.models import utcnow
from app.extensions import db
from app.marketing.flash_models import FlashActivity, FlashItem, FlashSession, FlashStatus
from app.marketing.flash_schedule import activity_window, beijing_today, status_of
from app.marketing.flash_stock import move_set_aside, return_unsold

AREA = "marketing"
MAX_ITEMS = 100
MAX_DAYS = 366
MAX_LIMIT = 999
MAX_PAY_MINUTES = 30


def sessions_by_id() -> dict[int, FlashSession]:
    return {session.id: session for session in db.session.scalars(select(FlashSession))}


def activity_list(*, status: str = "", now: datetime | None = None) -> list[FlashActivity]:
    """Newest first, filtered by the computed status (a shop has tens of activities; the
    stopped and returned ones are read too, the list pages them in memory)."""
    activities = list(db.session.scalars(select(FlashActivity).options(selectinload(FlashActivity.items))
                                         .order_by(FlashActivity.id.desc())))
    if status in set(FlashStatus):
        sessions, now = sessions_by_id(), now or utcnow()
        activities = [row for row in activities if status_of(row, now, sessions) == status]
    return activities


def _int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value or "").strip()
    return int(text) if text.isascii() and text.isdigit() and len(text) < 10 else None


def _clean_items(items: list[dict[str, Any]], fields: dict[str, str]) -> list[dict[str, Any]]:
    if not items:
        fields["items"] = _("Choose at least one product and fill in its flash price and stock.")
        return []
    if len(items) > MAX_ITEMS:
        fields["items"] = _("At most %(n)s items.", n=MAX_ITEMS)
        return []
    sku_ids = [_int(item.get("sku_id")) for item in items]
    skus = {sku.id: sku for sku in db.session.scalars(
        select(Sku).options(selectinload(Sku.product)).where(Sku.id.in_([i for i in sku_ids if i])))}
    clean, seen = [], set()
    for item, sku_id in zip(items, sku_ids, strict=True):
        sku = skus.get(sku_id)
        if sku is None:
            fields["items"] = _("Some of the chosen items no longer exist.")
            continue
        if sku_id in seen:
            continue
        seen.add(sku_id)
        price, stock = _int(item.get("flash_price_fen")), _int(item.get("stock"))
        if price is None or not 1 <= price < sku.price_fen:
            fields[f"items.{sku_id}.price"] = _("The flash price must be above zero and below the price "
                                                "(¥%(price)s).", price=f"{sku.price_fen / 100:.2f}")
        if stock is None or stock < 1:
            fields[f"items.{sku_id}.stock"] = _("Set aside at least one unit.")
        clean.append({"sku_id": sku_id, "product_id": sku.product_id, "flash_price_fen": price or 0,
                      "stock": stock or 0, "title": item_title(sku)})
    return clean


def item_title(sku: Sku) -> str:
    specs = "/".join(str(value) for value in (sku.specs or {}).values())
    return f"{sku.product.title} {specs}".strip()


def validate(values: dict[str, Any], activity: FlashActivity | None = None) -> dict[str, Any]:
    """The values checked and tidied; ValidationError naming each bad field (an item's as
    items.<sku id>.price / .stock)."""
    fields: dict[str, str] = {}
    name = (values.get("name") or "").strip()
    if not 1 <= len(name) <= 40:
        fields["name"] = _("Enter a name of at most 40 characters.")
    first_day, last_day = values.get("first_day"), values.get("last_day")
    if not isinstance(first_day, date):
        fields["first_day"] = _("Enter the first day.")
    if not isinstance(last_day, date):
        fields["last_day"] = _("Enter the last day.")
    elif isinstance(first_day, date):
        if last_day < first_day:
            fields["last_day"] = _("The last day must not be before the first.")
        elif (last_day - first_day).days >= MAX_DAYS:
            fields["last_day"] = _("An activity runs at most %(n)s days.", n=MAX_DAYS)
        elif activity is None and last_day < beijing_today():
            fields["last_day"] = _("The last day has passed.")
    session_ids = sorted({int(sid) for sid in values.get("session_ids") or [] if _int(sid) is not None})
    known = sessions_by_id()
    if not session_ids:
        fields["session_ids"] = _("Choose at least one session.")
    elif set(session_ids) - set(known):
        fields["session_ids"] = _("Some of the chosen sessions no longer exist.")
    limits = {}
    for key in ("limit_per_session", "limit_per_activity"):
        limits[key] = _int(values.get(key, 0) if values.get(key, "") != "" else 0)
        if limits[key] is None or limits[key] > MAX_LIMIT:
            fields[key] = _("Enter a whole number from 0 (no limit) to %(n)s.", n=MAX_LIMIT)
    pay_minutes = _int(values.get("pay_minutes") or 5)
    if pay_minutes is None or not 1 <= pay_minutes <= MAX_PAY_MINUTES:
        fields["pay_minutes"] = _("Enter from 1 to %(n)s minutes.", n=MAX_PAY_MINUTES)
    items = _clean_items(list(values.get("items") or []), fields)
    if not fields:
        _check_no_other_sale(activity, first_day, last_day, session_ids, items, fields)
    if fields:
        raise ValidationError(_("Some fields are invalid."), fields=fields)
    return {"name": name, "first_day": first_day, "last_day": last_day, "session_ids": session_ids,
            "limit_per_session": limits["limit_per_session"], "limit_per_activity": limits["limit_per_activity"],
            "pays_commission": bool(values.get("pays_commission")), "stacks": bool(values.get("stacks")),
            "pay_minutes": pay_minutes, "items": items}


def _check_no_other_sale(activity, first_day, last_day, session_ids, items, fields) -> None:
    """A SKU is in at most one flash sale at a time (same day and session)."""
    others = db.session.scalars(
        select(FlashActivity).options(selectinload(FlashActivity.items))
        .where(FlashActivity.stock_returned_at.is_(None), FlashActivity.first_day <= last_day,
               FlashActivity.last_day >= first_day)).all()
    for other in others:
        if (activity is not None and other.id == activity.id) or not set(other.session_ids or []) & set(session_ids):
            continue
        theirs = {item.sku_id for item in other.items}
        for item in items:
            if item["sku_id"] in theirs:
                fields[f"items.{item['sku_id']}.stock"] = _("Already in flash sale %(name)s at the same time.",
                                                            name=other.name)


def snapshot(activity: FlashActivity) -> dict[str, Any]:
    """What the audit log keeps of an activity."""
    return {"name": activity.name, "first_day": activity.first_day.isoformat(),
            "last_day": activity.last_day.isoformat(), "session_ids": list(activity.session_ids or []),
            "limit_per_session": activity.limit_per_session, "limit_per_activity": activity.limit_per_activity,
            "pays_commission": activity.pays_commission, "stacks": activity.stacks,
            "pay_minutes": activity.pay_minutes,
            "items": [{"sku_id": item.sku_id, "flash_price_fen": item.flash_price_fen, "stock": item.stock}
                      for item in activity.items]}


def _apply(activity: FlashActivity, clean: dict[str, Any]) -> None:
    for key in ("name", "first_day", "last_day", "session_ids", "limit_per_session", "limit_per_activity",
                "pays_commission", "stacks", "pay_minutes"):
        setattr(activity, key, clean[key])
    db.session.flush()
    wanted = {item["sku_id"]: item for item in clean["items"]}
    for item in list(activity.items):
        if item.sku_id not in wanted:
            title = item_title(db.session.get(Sku, item.sku_id))
            move_set_aside(item, 0, title, f"items.{item.sku_id}.stock")
            db.session.delete(item)
            db.session.flush()
    have = {item.sku_id: item for item in activity.items if item.sku_id in wanted}
    for sku_id, values in wanted.items():
        item = have.get(sku_id)
        if item is None:
            item = FlashItem(activity_id=activity.id, product_id=values["product_id"], sku_id=sku_id,
                             flash_price_fen=values["flash_price_fen"], stock=0, sold=0)
            db.session.add(item)
            db.session.flush()
        item.flash_price_fen = values["flash_price_fen"]
        move_set_aside(item, values["stock"], values["title"], f"items.{sku_id}.stock")
    db.session.flush()
    db.session.refresh(activity, ["items"])


def create_activity(actor: Actor, values: dict[str, Any]) -> FlashActivity:
    """Save a new activity and set its stock aside; a SKU short of stock refuses the whole
    save (ValidationError naming the product) with nothing written."""
    clean = validate(values)
    with db.session.begin_nested():
        activity = FlashActivity()
        db.session.add(activity)
        _apply(activity, clean)
    audit.record(actor, area=AREA, action="flash_sale.create", target_type="flash_sale",
                 target_id=activity.id, summary=activity.name, after=snapshot(activity))
    return activity


def update_activity(actor: Actor, activity: FlashActivity, values: dict[str, Any]) -> FlashActivity:
    """Save the changes; the set-aside moves by the difference only (never below sold)."""
    if activity.stopped_at is not None or activity.stock_returned_at is not None:
        raise Conflict(_("This flash sale has ended; it can no longer be changed."), code="flash_sale_closed")
    clean = validate(values, activity)
    before = snapshot(activity)
    with db.session.begin_nested():
        _apply(activity, clean)
    changed_before, changed_after = audit.changed_fields(before, snapshot(activity))
    audit.record(actor, area=AREA, action="flash_sale.update", target_type="flash_sale",
                 target_id=activity.id, summary=activity.name, before=changed_before, after=changed_after)
    return activity


def stop_activity(actor: Actor, activity: FlashActivity) -> int | None:
    """Stop early: no more sales, the unsold stock back to the SKUs (once). The units
    returned, None when it had already stopped or ended."""
    if activity.stopped_at is not None or activity.stock_returned_at is not None:
        return None
    activity.stopped_at = utcnow()
    db.session.flush()
    returned = return_unsold(activity)
    audit.record(actor, area=AREA, action="flash_sale.stop", target_type="flash_sale", target_id=activity.id,
                 summary=activity.name, before={"status": "running"},
                 after={"status": "stopped", "stock_returned": returned or 0})
    return returned


def end_due(now: datetime | None = None) -> list[int]:
    """Activities whose last session has ended give their unsold stock back (each once; a
    replay finds none): the ids ended by this call."""
    now = now or utcnow()
    candidates = db.session.scalars(select(FlashActivity).where(FlashActivity.stock_returned_at.is_(None),
                                                                FlashActivity.last_day <= beijing_today(now))
                                    .order_by(FlashActivity.id)).all()
    sessions, ended = sessions_by_id(), []
    for activity in candidates:
        if activity.stopped_at is None and activity_window(activity, sessions)[1] > now:
            continue
        returned = return_unsold(activity, now)
        if returned is None:
            continue
        audit.record(SYSTEM, area=AREA, action="flash_sale.end", target_type="flash_sale", target_id=activity.id,
                     summary=activity.name, after={"status": "ended", "stock_returned": returned})
        ended.append(activity.id)
    return ended


def chosen_products(activity: FlashActivity | None, product_ids: list[int]) -> list[Product]:
    """The products whose SKUs the form shows: those chosen, then those already in the activity."""
    ids = list(dict.fromkeys([*product_ids, *([item.product_id for item in activity.items] if activity else [])]))
    if not ids:
        return []
    found = {product.id: product for product in db.session.scalars(
        select(Product).options(selectinload(Product.skus)).where(Product.id.in_(ids)))}
    return [found[pid] for pid in ids if pid in found]
