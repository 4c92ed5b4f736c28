"""Use cases for shoppers. Services flush; the edge commits."""

from __future__ import annotations

import re

from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import User
from app.core.errors import Forbidden, NotFound, Unauthorized, ValidationError
from app.core.tokens import InvalidToken, issue_token, read_token
from app.extensions import db

DEV_NAME = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


def token_for(user: User) -> str:
    return issue_token(user.id, user.token_version)


def user_for_token(token: str) -> User:
    """The user a bearer token names; 401 if it is tampered, expired or revoked."""
    try:
        claims = read_token(token)
    except InvalidToken as exc:
        message = _("Your login has expired, please log in again.") if exc.reason == "expired" \
            else _("The login token is not valid.")
        raise Unauthorized(message, code=f"token_{exc.reason}") from exc
    user = db.session.get(User, claims.user_id)
    if user is None or user.token_version != claims.version:
        raise Unauthorized(_("The login token is not valid."), code="token_invalid")
    if user.is_disabled:
        raise Forbidden(_("This account has been disabled by the shop."), code="account_disabled")
    return user


def dev_login(name: str, nickname: str | None = None) -> User:
    """Sandbox only: the test user called `name`, created on first use."""
    if not DEV_NAME.match(name):
        raise ValidationError(_("Some fields are invalid."),
                              fields={"name": _("Letters, digits, _ and - only (at most 32).")})
    openid = f"dev_{name}"
    user = db.session.scalar(select(User).where(User.mp_openid == openid))
    if user is None:
        user = User(mp_openid=openid, nickname=nickname or name, is_test=True)
        db.session.add(user)
    elif nickname:
        user.nickname = nickname
    user.touch()
    db.session.flush()
    return user


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("The requested resource does not exist."))
    return user
