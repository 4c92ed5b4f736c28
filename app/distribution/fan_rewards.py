"""Fan reward points (seed 10.2): an agent earns points for each genuinely new follower or
shopper they bring in — once per new person ever (a follower rewarded while their binding
waits for the mini-program is not rewarded again when it is made), never for themselves, for shoppers who were already
around (older than a day, bound before, or with a paid order) or for a rebind — up to a
daily number of rewarded shoppers per agent. Called by the first bind, under the bind lock,
so the daily cap cannot be overrun by binds racing each other."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select

from app.accounts.models import User
from app.core.china_time import day_start_utc, to_beijing
from app.distribution.agent_models import BindingEvent
from app.distribution.settings_models import DistributionSettings
from app.extensions import db
from app.members.models import PointsEntry
from app.members.services import change_points
from app.orders.models import Order

KIND = "fan_reward"
NEW_FOR = timedelta(days=1)


def reward_new_shopper(settings: DistributionSettings, referrer_id: int, user_id: int,
                       now: datetime) -> PointsEntry | None:
    if settings.fan_points <= 0 or referrer_id == user_id:
        return None
    user = db.session.get(User, user_id)
    if user is None or user.created_at < now - NEW_FOR:
        return None
    bound_before = db.session.scalar(select(BindingEvent.id).where(
        BindingEvent.user_id == user_id, BindingEvent.action.in_(("bind", "rebind"))).limit(1))
    paid_before = db.session.scalar(select(Order.id).where(Order.user_id == user_id, Order.paid_at.is_not(None))
                                    .limit(1))
    rewarded_before = db.session.scalar(select(PointsEntry.id).where(
        PointsEntry.kind == KIND, PointsEntry.ref == f"user:{user_id}").limit(1))
    if bound_before is not None or paid_before is not None or rewarded_before is not None:
        return None
    today = db.session.scalar(select(func.count()).select_from(PointsEntry).where(
        PointsEntry.user_id == referrer_id, PointsEntry.kind == KIND,
        PointsEntry.created_at >= day_start_utc(to_beijing(now).date())))
    if today >= settings.fan_points_daily_cap:
        return None
    return change_points(referrer_id, settings.fan_points, kind=KIND, ref=f"user:{user_id}",
                         reason="新顾客奖励")
