"""Bearer tokens for the mini-program API: signed, expiring, revocable per user.

A token carries the user id and the user's token version; bumping the version (logout
everywhere, account disabled) rejects every token issued before.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

_SALT = "fenxiao.api-token.v1"


@dataclass(frozen=True)
class TokenClaims:
    user_id: int
    version: int


class InvalidToken(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason  # "expired" or "invalid"


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def issue_token(user_id: int, version: int) -> str:
    return _serializer().dumps({"u": user_id, "v": version})


def read_token(token: str) -> TokenClaims:
    try:
        data = _serializer().loads(token, max_age=current_app.config["API_TOKEN_MAX_AGE"])
    except SignatureExpired as exc:
        raise InvalidToken("expired") from exc
    except BadSignature as exc:
        raise InvalidToken("invalid") from exc
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        raise InvalidToken("invalid")
    return TokenClaims(user_id=data["u"], version=int(data.get("v", 0)))
