"""One person, one User: WeChat identities from the mini-program and the official account.

Each channel has its own openid; the unionid (given when both apps are bound to one open
platform account) is what shows two openids are the same person. Whichever channel a person
arrives through first, the second one attaches its openid to the same User. A follow gives
no unionid by itself: the official-account domain asks WeChat's user/info for it and links
the fan here (`claim_by_unionid`, `attach_unionid`), so the order of arrival does not matter.
"""

from __future__ import annotations

import logging
from typing import Literal

from sqlalchemy import inspect, select

from app.accounts.models import User
from app.core.events import publish
from app.extensions import db

log = logging.getLogger(__name__)

Channel = Literal["mp", "oa"]
# A person's mini-program account now exists: a new User, or their official-account User
# just gained its mini-program openid (the distribution domain then applies QR scenes they
# scanned as a fan before they ever opened the mini-program).
SHOPPER_JOINED = "shopper.joined"
# Two Users turn out to be one person: the first (who had no unionid yet) and the second, who
# holds it. The distribution domain folds the first into the second when the first is only a
# follower (its official-account trail and nothing else); otherwise they are left apart.
SAME_PERSON = "shopper.same_person"
_OPENID_COLUMNS = {"mp": User.mp_openid, "oa": User.oa_openid}


def upsert_wechat_user(channel: Channel, openid: str, unionid: str | None, *, nickname: str | None = None,
                       avatar_url: str | None = None, is_test: bool = False) -> User:
    """The User for this openid, found by openid, else by unionid, else created.

    Two first logins at once may both create a row; one then fails on the unique openid, so
    the edge commits this with app.core.transactions.commit_with_retry.
    """
    user = _find_or_create(channel, openid, unionid, is_test)
    joined = channel == "mp" and bool(inspect(user).attrs.mp_openid.history.added)
    _update_profile(user, nickname, avatar_url)
    user.touch()
    db.session.flush()
    if joined:
        publish(SHOPPER_JOINED, user.id)
    return user


def _find_or_create(channel: Channel, openid: str, unionid: str | None, is_test: bool) -> User:
    # Plain reads: a locking read of a missing row takes InnoDB gap locks, and concurrent
    # first logins then deadlock each other; the unique keys settle such races instead.
    column = _OPENID_COLUMNS[channel]
    by_openid = db.session.scalar(select(User).where(column == openid))
    by_unionid = db.session.scalar(select(User).where(User.unionid == unionid)) if unionid else None
    if by_openid is not None:
        if unionid and by_openid.unionid is None:
            if by_unionid is None:
                by_openid.unionid = unionid
            else:  # two Users: a mere follower is folded in later, anyone else is left apart
                log.warning("user %s (%s openid) and user %s share a unionid", by_openid.id, channel, by_unionid.id)
                publish(SAME_PERSON, by_openid.id, by_unionid.id)
        return by_openid
    if by_unionid is not None:
        if getattr(by_unionid, column.key) is None:
            setattr(by_unionid, column.key, openid)
            return by_unionid
        log.warning("unionid of user %s arrives with a second %s openid; a new user is made", by_unionid.id, channel)
        unionid = None
    user = User(unionid=unionid, is_test=is_test, **{column.key: openid})
    db.session.add(user)
    return user


def _update_profile(user: User, nickname: str | None, avatar_url: str | None) -> None:
    if nickname:
        user.nickname = nickname[:64]
    if avatar_url:
        user.avatar_url = avatar_url[:512]


def set_phone(user: User, phone: str) -> User:
    """The phone number WeChat vouched for (getPhoneNumber), replacing any earlier one."""
    user.phone = phone[:20]
    db.session.flush()
    return user


def claim_by_unionid(channel: Channel, openid: str, unionid: str) -> User | None:
    """The User WeChat's unionid names, now holding this channel's openid too; None when no
    User holds the unionid, or the one who does has another openid of this channel."""
    user = db.session.scalar(select(User).where(User.unionid == unionid).with_for_update())
    if user is None:
        return None
    column = _OPENID_COLUMNS[channel].key
    if getattr(user, column) is None:
        setattr(user, column, openid)
        db.session.flush()
    return user if getattr(user, column) == openid else None


def attach_unionid(user: User, unionid: str) -> bool:
    """Give `user` the unionid WeChat vouched for, unless another User holds it (then SAME_PERSON
    is published); whether `user` now has it."""
    if user.unionid is not None:
        return user.unionid == unionid
    holder = db.session.scalar(select(User.id).where(User.unionid == unionid))
    if holder is not None:
        log.warning("user %s and user %s share a unionid", user.id, holder)
        publish(SAME_PERSON, user.id, holder)
        return False
    user.unionid = unionid
    db.session.flush()
    return True
