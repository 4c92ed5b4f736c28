"""Bearer-token authentication for API views."""

from __future__ import annotations

import functools
from collections.abc import Callable

from flask import g, request
from flask_babel import gettext as _

from app.accounts.models import User
from app.accounts.services import user_for_token
from app.core.errors import Unauthorized


def login_required(view: Callable) -> Callable:
    """Resolve `Authorization: Bearer <token>` into g.user, or answer 401."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        header = request.headers.get("Authorization", "")
        scheme, _sep, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized(_("Please log in first."), code="token_missing")
        g.user = user_for_token(token.strip())
        return view(*args, **kwargs)

    return wrapper


def current_user() -> User:
    return g.user
