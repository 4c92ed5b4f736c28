"""The shopper's web session (official-account pages), next to the mini-program's bearer token.

Like a token it carries the user's token version, so revoking tokens also ends web sessions.
"""

from __future__ import annotations

from flask import session

from app.accounts.models import User
from app.extensions import db

_USER, _VERSION = "shopper_id", "shopper_token_version"


def log_in(user: User) -> None:
    session.clear()  # a fresh session on login: nothing from before survives (session fixation)
    session[_USER] = user.id
    session[_VERSION] = user.token_version


def current_shopper() -> User | None:
    user_id = session.get(_USER)
    user = db.session.get(User, user_id) if isinstance(user_id, int) else None
    if user is None or user.token_version != session.get(_VERSION):
        return None
    return user
