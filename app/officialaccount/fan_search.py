"""Finding fans for the console's fan list: by openid or the member's nickname, by status."""

from __future__ import annotations

from sqlalchemy import Select, func, or_, select

from app.accounts.models import User
from app.extensions import db
from app.officialaccount.models import Fan
from app.officialaccount.states import FAN_STATUSES

FAN_SORTS = {
    "subscribed": (Fan.subscribed_at.desc(), Fan.id.desc()),
    "first_subscribed": (Fan.first_subscribed_at.asc(), Fan.id),
    "unsubscribed": (Fan.unsubscribed_at.desc(), Fan.id.desc()),
    "resubscribes": (Fan.resubscribe_count.desc(), Fan.id.desc()),
}


def search_fans(text: str | None = None, *, status: str | None = None, sort: str = "subscribed") -> Select:
    """Fans whose openid or member nickname contains `text`; `status` is subscribed or unsubscribed."""
    statement = select(Fan).outerjoin(User, Fan.user_id == User.id).order_by(*FAN_SORTS.get(sort,
                                                                                             FAN_SORTS["subscribed"]))
    if status in FAN_STATUSES:
        statement = statement.where(Fan.status == status)
    text = (text or "").strip()
    if text:
        statement = statement.where(or_(Fan.openid.contains(text, autoescape=True),
                                        User.nickname.contains(text, autoescape=True)))
    return statement


def fan_counts() -> dict[str, int]:
    """How many fans there are in each status, and in all."""
    rows = db.session.execute(select(Fan.status, func.count()).group_by(Fan.status)).all()
    counts = {status: 0 for status in FAN_STATUSES}
    counts.update({status: total for status, total in rows})
    counts["all"] = sum(counts[status] for status in FAN_STATUSES)
    return counts


def members_of(fans: list[Fan]) -> dict[int, User]:
    """The members behind a page of fans, by id, in one query."""
    ids = {fan.user_id for fan in fans if fan.user_id}
    if not ids:
        return {}
    return {user.id: user for user in db.session.scalars(select(User).where(User.id.in_(ids)))}
