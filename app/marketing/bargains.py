"""Bargains as shoppers play them: launch one, friends help cut the price, buy it through the
normal checkout as an activity order, and the sweep that expires the ones out of time.

Concurrency: a help locks the bargain row, then applies its cut by a conditional UPDATE on the
helpers count and the current price it read (a lost race changes no row and is refused, never
applied twice). Limits hold by unique numbering rather than by counting under a lock: a
helper's helps of a day are numbered 1..n and (helper, day, n) is unique, a shopper's launches
in an activity likewise, and (bargain, helper) is unique — two requests at once that counted
the same can never both be written. The cut itself is reproducible (app.marketing.bargain_cuts). Buying claims the
bargain for the order in the order's transaction (order.placed), gives it back when the order
closes unpaid, and marks it bought when paid (app.marketing.activity_orders' hooks).
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import exists, func, select, update
from sqlalchemy.exc import IntegrityError

from app.core.china_time import to_beijing
from app.core.errors import Conflict, NotFound
from app.core.locking import locked
from app.core.models import utcnow
from app.extensions import db
from app.marketing import bargain_activities
from app.marketing.activity_orders import ActivityHooks, register_kind
from app.marketing.bargain_cuts import cut_for
from app.marketing.bargain_models import (
    BARGAIN_MOVES,
    Bargain,
    BargainActivity,
    BargainActivityStatus,
    BargainHelp,
    BargainStatus,
)
from app.orders.activity import ActivityKind, ActivityTerms
from app.orders.models import Order

EXPIRY_BATCH = 500


def _today(now: datetime):
    return to_beijing(now).date()


def live_activity(activity_id: int) -> BargainActivity:
    activity = db.session.get(BargainActivity, activity_id)
    if activity is None:
        raise NotFound(_("This bargain activity does not exist."), code="activity_not_found")
    if bargain_activities.status_of(activity) != BargainActivityStatus.LIVE:
        raise Conflict(_("This bargain activity is not running now."), code="activity_not_live")
    return activity


def launch(user_id: int, activity_id: int) -> Bargain:
    """Start a bargain at the activity's start price (409 when the activity is not live or the
    shopper used their launches; two taps at once launch once, the other is told to retry)."""
    activity = live_activity(activity_id)
    launches = db.session.scalar(select(func.count()).select_from(Bargain).where(
        Bargain.activity_id == activity.id, Bargain.user_id == user_id))
    if launches >= activity.launches_per_shopper:
        raise Conflict(_("You have launched this bargain %(n)s times, the most allowed.",
                         n=activity.launches_per_shopper), code="launch_limit")
    now = utcnow()
    expires_at = now + timedelta(hours=activity.time_limit_hours)
    bargain = Bargain(activity_id=activity.id, user_id=user_id, launch_no=launches + 1, sku_id=activity.sku_id,
                      start_price_fen=activity.start_price_fen, floor_price_fen=activity.floor_price_fen,
                      current_price_fen=activity.start_price_fen, helpers_needed=activity.helpers_needed,
                      helpers_count=0, cut_seed=secrets.randbelow(2**31), status=BargainStatus.BARGAINING,
                      expires_at=expires_at, buy_until=expires_at + timedelta(hours=activity.buy_window_hours))
    try:
        with db.session.begin_nested():
            db.session.add(bargain)
    except IntegrityError as exc:
        raise Conflict(_("Please try again."), code="retry") from exc
    return bargain


def _refuse_help(bargain: Bargain, activity: BargainActivity, helper_id: int, now: datetime) -> None:
    if bargain.user_id == helper_id:
        raise Conflict(_("You cannot help your own bargain; share it with friends."), code="self_help")
    if bargain.status != BargainStatus.BARGAINING or bargain.helpers_count >= bargain.helpers_needed:
        if bargain.status in (BargainStatus.SUCCEEDED, BargainStatus.BOUGHT):
            raise Conflict(_("This bargain has already reached its lowest price."), code="bargain_complete")
        raise Conflict(_("This bargain has ended."), code="bargain_ended")
    if bargain.expires_at <= now:
        raise Conflict(_("This bargain has ended."), code="bargain_ended")
    if bargain.order_id is not None:
        raise Conflict(_("Your friend is buying it already."), code="bargain_ordered")
    if activity.stopped_at is not None:
        raise Conflict(_("This bargain activity is not running now."), code="activity_not_live")


def help_bargain(bargain_id: int, helper_id: int) -> BargainHelp:
    """One friend's cut (409 with the reason when refused: their own bargain, helped before,
    the bargain complete or ended, their helps of the day used)."""
    bargain = locked(Bargain, id=bargain_id)
    if bargain is None:
        raise NotFound(_("This bargain does not exist."), code="bargain_not_found")
    activity = db.session.get(BargainActivity, bargain.activity_id)
    now = utcnow()
    _refuse_help(bargain, activity, helper_id, now)
    # a locking read sees a help of the same friend committed while this one waited for the bargain
    if db.session.scalar(select(BargainHelp.id).where(BargainHelp.bargain_id == bargain.id,
                                                      BargainHelp.helper_user_id == helper_id).with_for_update()):
        raise Conflict(_("You have already helped this bargain."), code="already_helped")
    today = _today(now)
    helps_today = db.session.scalar(select(func.count()).select_from(BargainHelp).where(
        BargainHelp.helper_user_id == helper_id, BargainHelp.day == today))
    if helps_today >= activity.helps_per_day:
        raise Conflict(_("You can help %(n)s bargains a day; come back tomorrow.", n=activity.helps_per_day),
                       code="help_limit")
    seen_count, seen_price = bargain.helpers_count, bargain.current_price_fen
    cut = cut_for(seen_price - bargain.floor_price_fen, bargain.helpers_needed - seen_count, seed=bargain.cut_seed,
                  position=seen_count, cut_min_fen=activity.cut_min_fen, cut_max_fen=activity.cut_max_fen)
    last = seen_count + 1 == bargain.helpers_needed
    window = timedelta(hours=activity.buy_window_hours)
    moved = db.session.execute(
        update(Bargain).where(Bargain.id == bargain.id, Bargain.helpers_count == seen_count,
                              Bargain.current_price_fen == seen_price, Bargain.status == BargainStatus.BARGAINING)
        .values(helpers_count=seen_count + 1, current_price_fen=seen_price - cut,
                status=BargainStatus.SUCCEEDED if last else BargainStatus.BARGAINING,
                succeeded_at=now if last else None, buy_until=now + window if last else bargain.buy_until,
                updated_at=now)
        .execution_options(synchronize_session=False)).rowcount
    if moved != 1:
        raise Conflict(_("Please try again."), code="retry")
    help_row = BargainHelp(bargain_id=bargain.id, helper_user_id=helper_id, cut_fen=cut,
                           price_after_fen=seen_price - cut, day=today, day_no=helps_today + 1, created_at=now)
    try:
        with db.session.begin_nested():
            db.session.add(help_row)
    except IntegrityError as exc:  # a help of the same friend committed meanwhile: the caller rolls back
        if "bargain_id" in str(exc.orig):
            raise Conflict(_("You have already helped this bargain."), code="already_helped") from exc
        raise Conflict(_("Please try again."), code="retry") from exc
    db.session.refresh(bargain)
    return help_row


def own_bargain(user_id: int, bargain_id: int) -> Bargain:
    bargain = db.session.get(Bargain, bargain_id)
    if bargain is None or bargain.user_id != user_id:
        raise NotFound(_("This bargain does not exist."), code="bargain_not_found")
    return bargain


def can_buy(bargain: Bargain, activity: BargainActivity, now: datetime | None = None) -> str:
    """'' when the launcher may order it now, or the code of why not."""
    now = now or utcnow()
    if bargain.status == BargainStatus.BOUGHT:
        return "bargain_bought"
    if bargain.order_id is not None:
        return "bargain_ordered"
    if now >= bargain.buy_until:
        return "buy_window_over"
    if bargain.status != BargainStatus.SUCCEEDED and not activity.buy_at_current:
        return "floor_not_reached"
    return ""


BUY_REFUSALS = {
    "bargain_bought": lambda: _("You have bought this bargain."),
    "bargain_ordered": lambda: _("This bargain has an unpaid order: pay or cancel it first."),
    "buy_window_over": lambda: _("The time to buy this bargain is over."),
    "floor_not_reached": lambda: _("Get friends to help until the lowest price is reached, then buy."),
}


def bargain_terms(user_id: int, ref: str) -> ActivityTerms:
    """The activity-order terms of the shopper's bargain: one unit at the price reached."""
    bargain = own_bargain(user_id, int(ref)) if ref.isdigit() and len(ref) < 10 else None
    if bargain is None:
        raise NotFound(_("This bargain does not exist."), code="bargain_not_found")
    activity = db.session.get(BargainActivity, bargain.activity_id)
    refusal = can_buy(bargain, activity)
    if refusal:
        raise Conflict(BUY_REFUSALS[refusal](), code=refusal)
    return ActivityTerms(kind=ActivityKind.BARGAIN, activity_id=activity.id, ref=str(bargain.id),
                         sku_id=bargain.sku_id, quantity=1, unit_price_fen=bargain.current_price_fen,
                         label=_("Bargain price"), stacks=activity.stacks, pays_commission=activity.pays_commission)


def _priced_at(order: Order):
    """The condition on the bargain's current price that the order's price agrees with: the
    bargain price it was cut to, or — when the shelf price was already lower and nothing was
    cut — any bargain price at or above the shelf price."""
    item = order.items[0]
    cut = sum(part.get("amount_fen", 0) for part in item.discount_parts or () if part.get("kind") == "bargain")
    if cut:
        return Bargain.current_price_fen == item.unit_price_fen - cut // item.quantity
    return Bargain.current_price_fen >= item.unit_price_fen


def _claim(order: Order, ref: str) -> None:
    """order.placed: the bargain is this order's, at the price it was priced at (a help or a
    second order in between refuses the order; nothing is written)."""
    claimed = db.session.execute(
        update(Bargain).where(Bargain.id == int(ref), Bargain.user_id == order.user_id, Bargain.order_id.is_(None),
                              Bargain.status != BargainStatus.BOUGHT, _priced_at(order))
        .values(order_id=order.id, updated_at=utcnow()).execution_options(synchronize_session=False)).rowcount
    if claimed != 1:
        raise Conflict(_("This bargain changed meanwhile; please check it and buy again."), code="bargain_changed")


def _release(order: Order, ref: str) -> None:
    """order.closed (unpaid): the bargain can be ordered again while its window lasts."""
    db.session.execute(update(Bargain).where(Bargain.id == int(ref), Bargain.order_id == order.id)
                       .values(order_id=None, updated_at=utcnow()).execution_options(synchronize_session=False))


def _sold(order: Order, ref: str) -> None:
    """order.paid: the bargain is bought (from any status that may move to bought)."""
    leaving = [status for status, moves in BARGAIN_MOVES.items() if BargainStatus.BOUGHT in moves]
    db.session.execute(update(Bargain).where(Bargain.id == int(ref), Bargain.order_id == order.id,
                                             Bargain.status.in_(leaving))
                       .values(status=BargainStatus.BOUGHT, updated_at=utcnow())
                       .execution_options(synchronize_session=False))


register_kind(ActivityKind.BARGAIN, ActivityHooks(terms=bargain_terms, placed=_claim, paid=_sold, closed=_release))


def expire_due(now: datetime | None = None) -> int:
    """Bargains out of time that never reached the floor become expired, a batch at a time
    (a conditional UPDATE: safe to run twice or at once). Returns how many."""
    now = now or utcnow()
    ids = list(db.session.scalars(select(Bargain.id).where(
        Bargain.status == BargainStatus.BARGAINING, Bargain.expires_at <= now).order_by(Bargain.expires_at)
        .limit(EXPIRY_BATCH)))
    if not ids:
        return 0
    return db.session.execute(
        update(Bargain).where(Bargain.id.in_(ids), Bargain.status == BargainStatus.BARGAINING,
                              Bargain.expires_at <= now)
        .values(status=BargainStatus.EXPIRED, updated_at=now).execution_options(synchronize_session=False)).rowcount


def helped_by(bargain_id: int, user_id: int) -> bool:
    return bool(db.session.scalar(select(exists().where(BargainHelp.bargain_id == bargain_id,
                                                        BargainHelp.helper_user_id == user_id))))
