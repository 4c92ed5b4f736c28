"""Use cases for shoppers and staff accounts. Services flush; the edge commits."""

from __future__ import annotations

import re
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_babel import gettext as _
from sqlalchemy import select

from app.accounts.models import StaffAccount, User
from app.core.errors import NotFound, Unauthorized, ValidationError
from app.core.tokens import InvalidToken, issue_token, read_token
from app.extensions import db

_password_hasher = PasswordHasher()
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


def hash_password(password: str) -> str:
    return _password_hasher.hash(password)


def password_matches(password_hash: str, password: str) -> bool:
    try:
        return _password_hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def generate_password() -> str:
    return secrets.token_urlsafe(12)


def create_staff(username: str, password: str, *, role: str = "owner", display_name: str = "") -> StaffAccount:
    staff = StaffAccount(username=username, password_hash=hash_password(password), role=role,
                         display_name=display_name or username)
    db.session.add(staff)
    db.session.flush()
    return staff


def find_staff(username: str) -> StaffAccount | None:
    return db.session.scalar(select(StaffAccount).where(StaffAccount.username == username))


def set_staff_password(username: str, password: str) -> StaffAccount:
    staff = find_staff(username)
    if staff is None:
        raise NotFound(_("The requested resource does not exist."))
    staff.password_hash = hash_password(password)
    db.session.flush()
    return staff
