"""Use cases for shoppers. Services flush; the edge commits."""

from __future__ import annotations

import re

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import User
from app.accounts.wechat_identity import upsert_wechat_user
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


def dev_person(name: str) -> tuple[str, str]:
    """(mini-program openid, unionid) of dev user `name`: the WeChat user the sandbox's
    `dev:<name>` login code, its OAuth (`dev_user`) and the simulator's fan `name` all are."""
    from app.wechat.sandbox.identities import identity

    person = identity(current_app.config["WECHAT_MP_APPID"], name)
    return person.openid, person.unionid


def dev_login(name: str, nickname: str | None = None) -> User:
    """Sandbox only: the test user called `name` (the same person as the sandbox's WeChat user
    `name`, so a fan who followed as alice is this alice), created on first use."""
    if not DEV_NAME.match(name):
        raise ValidationError(_("Some fields are invalid."),
                              fields={"name": _("Letters, digits, _ and - only (at most 32).")})
    openid, unionid = dev_person(name)
    _adopt_legacy_dev_user(name, openid)
    user = upsert_wechat_user("mp", openid, unionid, nickname=nickname, is_test=True)
    user.nickname = user.nickname or name
    db.session.flush()
    return user


def _adopt_legacy_dev_user(name: str, openid: str) -> None:
    """Dev users made before they were sandbox persons had the openid `dev_<name>`: keep them
    (and their orders) as that person."""
    legacy = db.session.scalar(select(User).where(User.mp_openid == f"dev_{name}"))
    if legacy is not None and db.session.scalar(select(User.id).where(User.mp_openid == openid)) is None:
        legacy.mp_openid = openid
        db.session.flush()


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(_("The requested resource does not exist."))
    return user
